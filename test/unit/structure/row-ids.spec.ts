import ts from 'typescript';
import { at, loadSources, nodesOf } from './source-graph';

/**
 * Rows get their ids from `newId` (src/common/ids.ts), ids that sort by time, so that no
 * index grows by random inserts. `randomUUID` stays where a value must not sort: these
 * are the only calls allowed, each for a value that is no row's id.
 */
const ALLOWED = new Map([
  ['src/configure-app.ts', 'a request id when the caller sent none'],
  ['src/modules/markets/markets.service.ts', 'the next book version, a token compared for equality'],
  ['src/modules/webhooks/webhook-dispatcher.ts', 'a delivery round’s lease token'],
  ['src/scripts/seed-demo.ts', 'a run’s label'],
]);

describe('row ids (src/common/ids.ts)', () => {
  it('calls randomUUID only where the value is no row id', () => {
    const calls: string[] = [];
    for (const file of loadSources().values()) {
      for (const node of nodesOf(file.ast)) {
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'randomUUID') calls.push(at(file, node));
      }
    }
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((where) => !ALLOWED.has(where.replace(/:\d+$/, '')))).toEqual([]);
  });
});
