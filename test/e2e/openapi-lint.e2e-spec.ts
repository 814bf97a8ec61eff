import { Document, RulesetDefinition, Spectral } from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';

const SEVERITY = ['error', 'warning', 'info', 'hint'];

/** The served document lints clean under Spectral's `spectral:oas` ruleset (issue 12). */
describe('the served OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('has no error and no warning under spectral:oas', async () => {
    const served = await request(t.http).get('/docs-json');
    expect(served.status).toBe(200);
    const spectral = new Spectral();
    // The rulesets package types its rulesets loosely (no `extends`); it is the definition `spectral:oas` names.
    spectral.setRuleset({ extends: [[oas as RulesetDefinition, 'recommended']] });
    const results = await spectral.run(new Document(served.text, Json, '/docs-json'));
    const findings = results
      .filter((r) => r.severity <= 1)
      .map((r) => `${SEVERITY[r.severity]} ${r.code} at ${r.path.join('.')}: ${r.message}`);
    expect(findings).toEqual([]);
  });
});
