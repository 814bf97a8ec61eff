import type { Actor } from '../../../src/common/auth/actor';
import type { EntityType } from '../../../src/core/audit/entity-types';
import { EntityReadRules, only, ReadRulesRegistry, Redaction, WHOLE } from '../../../src/modules/events/read-rules';

const actor = (kind: Actor['kind'], participantId = 'p-1'): Actor => ({ participantId, kind, regionCode: '150421', useType: null, keyId: 'k' });

/** Rules that let the owner (by id prefix) read its trades, and show others' participants in part. */
const rules: EntityReadRules = {
  entityTypes: ['trade', 'participant'],
  async readable(a: Actor, type: EntityType, ids: readonly string[]) {
    const seen = new Map<string, Redaction>();
    for (const id of ids) {
      if (type === 'trade' && id.startsWith(a.participantId)) seen.set(id, WHOLE);
      if (type === 'participant') seen.set(id, id === a.participantId ? WHOLE : only(['id', 'name']));
    }
    return seen;
  },
};

describe('the read-rules registry behind events and webhooks', () => {
  const registry = new ReadRulesRegistry();
  registry.register(rules);

  it('asks the owning module about each entity, in one batch per type', async () => {
    const calls: string[][] = [];
    const counting = new ReadRulesRegistry();
    counting.register({ entityTypes: ['order'], readable: async (_a, _t, ids) => (calls.push([...ids]), new Map(ids.map((id) => [id, WHOLE]))) });
    await counting.visibility(actor('ENTERPRISE'), [{ entityType: 'order', entityId: 'a' }, { entityType: 'order', entityId: 'b' }, { entityType: 'order', entityId: 'a' }]);
    expect(calls).toEqual([['a', 'b']]);
  });

  it('shows what the rules allow, redacted as they say, and hides the rest', async () => {
    const seen = await registry.visibility(actor('ENTERPRISE', 'p-1'), [
      { entityType: 'trade', entityId: 'p-1/t1' },
      { entityType: 'trade', entityId: 'p-2/t2' },
      { entityType: 'participant', entityId: 'p-2' },
    ]);
    expect(seen[0]).toBe(WHOLE);
    expect(seen[1]).toBeNull();
    expect(seen[2]!({ id: 'p-2', name: 'X', creditCode: 'secret' })).toEqual({ id: 'p-2', name: 'X' });
  });

  it('keeps entity types nobody registered (a capability not wired yet) to the operator', async () => {
    const entries = [{ entityType: 'auction' as const, entityId: 'a-1' }, { entityType: 'bid' as const, entityId: 'b-1' }];
    expect(await registry.visibility(actor('REGULATOR'), entries)).toEqual([null, null]);
    expect(await registry.visibility(actor('ENTERPRISE'), entries)).toEqual([null, null]);
    expect(await registry.visibility(actor('OPERATOR'), entries)).toEqual([WHOLE, WHOLE]);
  });

  it('files entries for the feed\'s index: by the rules\' audience, for everyone without one, for nobody without rules', async () => {
    const indexed = new ReadRulesRegistry();
    indexed.register(rules);
    indexed.register({
      entityTypes: ['order'],
      readable: async () => new Map(),
      // An order exists when its id starts with its owner's.
      audience: async (_t, ids) => new Map(ids.filter((id) => id.includes('/')).map((id) => [id, [`p:${id.split('/')[0]}`]])),
    });
    expect(await indexed.audiences([
      { entityType: 'order', entityId: 'p-1/o1' },
      { entityType: 'order', entityId: 'gone' },
      { entityType: 'trade', entityId: 'p-2/t2' },
      { entityType: 'feeSweep', entityId: 's-1' },
    ])).toEqual([['p:p-1'], [], ['*'], []]);
  });

  it('refuses a second registration for one entity type', () => {
    expect(() => registry.register({ entityTypes: ['trade'], readable: async () => new Map() })).toThrow(/twice/);
    expect(registry.registered.sort()).toEqual(['participant', 'trade']);
  });
});
