import { createHash } from 'node:crypto';
import request from 'supertest';
import { canonicalJson } from '../../src/core/audit/canonical-json';
import { createParticipant, operatorId, Party, seedRegions } from './support/fixtures';
import { expectProblem, fieldsOf } from './support/problem';
import { sql, withDb } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';

const GENESIS = '0'.repeat(64);

/** Every entry of the log through the API, oldest first, following cursors. */
async function wholeLog(t: TestApp, query = ''): Promise<any[]> {
  const entries: any[] = [];
  let cursor: string | null = null;
  do {
    const res = await client(t, t.adminKey).get(`/v1/audit?limit=500${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    entries.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return entries;
}

const verify = async (t: TestApp) => (await client(t, t.adminKey).get('/v1/audit/verify')).body;

/** Runs SQL with the append-only trigger off, as someone editing the table behind the service's back would. */
const tamper = (t: TestApp, statement: string, params: unknown[] = []) =>
  withDb(t, async (c) => {
    await c.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
    try {
      await c.query(statement, params);
    } finally {
      await c.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
    }
  });

describe('audit log', () => {
  let t: TestApp;
  let opId: string;

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
    opId = await operatorId(t);
  });
  afterAll(() => t.close());

  describe('what a change records', () => {
    it('appends one entry per change with actor, action, entity, before, after and the request id', async () => {
      const before = await wholeLog(t);
      const res = await client(t, t.adminKey).post('/v1/participants', { name: '审计企业', kind: 'ENTERPRISE', regionCode: '150421' }, { 'X-Request-Id': 'audit-req-0001' });
      expect(res.status).toBe(201);
      const added = (await wholeLog(t)).slice(before.length);
      expect(added.map((e) => e.action)).toEqual(['participant.created', 'apiKey.created']);
      expect(added[0]).toEqual({
        seq: before.length + 1,
        at: expect.any(String),
        actorId: opId,
        action: 'participant.created',
        entityType: 'participant',
        entityId: res.body.id,
        before: null,
        after: { id: res.body.id, name: '审计企业', kind: 'ENTERPRISE', regionCode: '150421', creditCode: null, useType: 'INDUSTRY', createdAt: res.body.createdAt },
        requestId: 'audit-req-0001',
        prevHash: before[before.length - 1].hash,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(added[1]).toMatchObject({ entityType: 'apiKey', entityId: res.body.keyId, requestId: 'audit-req-0001', after: { keyId: res.body.keyId, participantId: res.body.id } });
      expect(JSON.stringify(added)).not.toContain(res.body.apiKey);
    });

    it('records a generated request id when the client sends none, the one it returns in X-Request-Id', async () => {
      const res = await client(t, t.adminKey).put('/v1/regions/150421/caps/2026', { totalCap: '196740000' });
      const requestId = res.headers['x-request-id'];
      expect(requestId).toEqual(expect.any(String));
      const [entry] = (await client(t, t.adminKey).get('/v1/audit?entityType=cap&entityId=150421-2026')).body.items;
      expect(entry).toMatchObject({ action: 'cap.set', actorId: opId, requestId, before: null, after: { regionCode: '150421', year: 2026, totalCap: '196740000' } });
    });

    it('records key revocation with before and after', async () => {
      const p = await createParticipant(t, 'WATER_USER', '150422');
      const keyId = (await client(t, p.apiKey).get(`/v1/participants/${p.id}/api-keys`)).body.items[0].keyId;
      await client(t, p.apiKey).delete(`/v1/participants/${p.id}/api-keys/${keyId}`);
      const entries = (await client(t, t.adminKey).get(`/v1/audit?entityType=apiKey&entityId=${keyId}`)).body.items;
      expect(entries.map((e: any) => e.action)).toEqual(['apiKey.created', 'apiKey.revoked']);
      expect(entries[1]).toMatchObject({ actorId: p.id, before: { keyId, revokedAt: null }, after: { keyId, revokedAt: expect.any(String) } });
    });

    it('appends nothing for a refused request', async () => {
      const before = (await verify(t)).entries;
      await client(t, t.adminKey).post('/v1/participants', { name: 'x', kind: 'ENTERPRISE', regionCode: '159999' });
      await client(t, t.adminKey).put('/v1/regions/150421/caps/2026', { totalCap: 5 });
      expect((await verify(t)).entries).toBe(before);
    });

    it('chains each entry to the one before with sha256(prevHash ‖ canonical JSON)', async () => {
      const log = await wholeLog(t);
      expect(log[0].prevHash).toBe(GENESIS);
      log.forEach((entry, i) => {
        expect(entry.seq).toBe(i + 1);
        if (i > 0) expect(entry.prevHash).toBe(log[i - 1].hash);
        const { hash, ...body } = entry;
        expect(createHash('sha256').update(entry.prevHash + canonicalJson(body)).digest('hex')).toBe(hash);
      });
    });
  });

  describe('reading the log', () => {
    let a: Party;
    let b: Party;
    let cityRegulator: Party;
    let midpoint: string;

    beforeAll(async () => {
      a = await createParticipant(t, 'ENTERPRISE', '150421');
      await new Promise((r) => setTimeout(r, 20));
      midpoint = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 20));
      b = await createParticipant(t, 'ENTERPRISE', '150421');
      cityRegulator = await createParticipant(t, 'REGULATOR', '150400');
      await client(t, cityRegulator.apiKey).put('/v1/regions/150422/caps/2026', { totalCap: '85310000' });
    });

    it('lists oldest first', async () => {
      const seqs = (await wholeLog(t)).map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    });

    it('filters by entity type and id', async () => {
      const items = (await client(t, t.adminKey).get(`/v1/audit?entityType=participant&entityId=${a.id}`)).body.items;
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ action: 'participant.created', entityId: a.id });
      const caps = (await client(t, t.adminKey).get('/v1/audit?entityType=cap')).body.items;
      expect(caps.length).toBeGreaterThanOrEqual(2);
      expect(caps.every((e: any) => e.entityType === 'cap')).toBe(true);
    });

    it('filters by actor', async () => {
      const items = await wholeLog(t, `&actorId=${cityRegulator.id}`);
      expect(items.map((e) => e.action)).toEqual(['cap.set']);
      expect(items[0]).toMatchObject({ entityId: '150422-2026', actorId: cityRegulator.id });
    });

    it('filters by time: from inclusive, to exclusive', async () => {
      const later = await wholeLog(t, `&entityType=participant&from=${encodeURIComponent(midpoint)}`);
      const earlier = await wholeLog(t, `&entityType=participant&to=${encodeURIComponent(midpoint)}`);
      expect(later.map((e) => e.entityId)).toContain(b.id);
      expect(later.map((e) => e.entityId)).not.toContain(a.id);
      expect(earlier.map((e) => e.entityId)).toContain(a.id);
      expect(earlier.map((e) => e.entityId)).not.toContain(b.id);
      expect(later.length + earlier.length).toBe((await wholeLog(t, '&entityType=participant')).length);
      const at = later[0].at;
      expect((await wholeLog(t, `&from=${encodeURIComponent(at)}&to=${encodeURIComponent(at)}`))).toEqual([]);
      expect((await wholeLog(t, `&from=${encodeURIComponent(at)}`))[0].at).toBe(at);
    });

    it('pages with a cursor, without duplicates or gaps', async () => {
      const all = await wholeLog(t);
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const res = await client(t, t.adminKey).get(`/v1/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...res.body.items.map((e: any) => e.seq));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.map((e) => e.seq));
    });

    it('pages a filtered list', async () => {
      const first = await client(t, t.adminKey).get('/v1/audit?entityType=participant&limit=2');
      const second = await client(t, t.adminKey).get(`/v1/audit?entityType=participant&limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body.items.every((e: any) => e.entityType === 'participant')).toBe(true);
      expect(second.body.items[0].seq).toBeGreaterThan(first.body.items[1].seq);
    });

    it('is open to regulators as well as the operator', async () => {
      expect((await client(t, cityRegulator.apiKey).get('/v1/audit?limit=1')).status).toBe(200);
      expect((await client(t, cityRegulator.apiKey).get('/v1/audit/verify')).status).toBe(200);
    });

    it.each([
      ['entityType=widget', 'entityType'],
      ['actorId=not-a-uuid', 'actorId'],
      ['from=yesterday', 'from'],
      ['to=2026-13-01T00:00:00Z', 'to'],
      ['from=2026-06-02T00:00:00Z&to=2026-06-01T23:59:59Z', 'to'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      [`cursor=${Buffer.from('["1.5"]').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('[-1]').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('[1e30]').toString('base64url')}`, 'cursor'],
      ['cursor=bm90LWpzb24', 'cursor'],
    ])('refuses %s (400)', async (query, field) => {
      const res = await client(t, t.adminKey).get(`/v1/audit?${query}`);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toContain(field);
    });
  });

  describe('append-only', () => {
    it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
      await expect(sql(t, `UPDATE audit_log SET action = 'x' WHERE seq = 1`)).rejects.toThrow(/append-only/);
      await expect(sql(t, 'DELETE FROM audit_log WHERE seq = 1')).rejects.toThrow(/append-only/);
      await expect(sql(t, 'TRUNCATE audit_log')).rejects.toThrow(/append-only/);
      expect((await verify(t)).valid).toBe(true);
    });
  });

  describe('verification', () => {
    it('finds a clean log valid and reports its size and head', async () => {
      const log = await wholeLog(t);
      expect(await verify(t)).toEqual({ valid: true, entries: log.length, head: log[log.length - 1].hash, firstInvalidSeq: null });
    });

    describe('tamper detection (each case from the same untouched log)', () => {
      let x: TestApp;
      beforeAll(async () => {
        x = await startTestApp();
        await seedRegions(x);
        for (let i = 0; i < 3; i++) await createParticipant(x, 'ENTERPRISE', '150421');
        await sql(x, 'CREATE TABLE audit_log_untouched AS SELECT * FROM audit_log');
        await sql(x, 'CREATE TABLE audit_head_untouched AS SELECT * FROM audit_head');
      });
      afterAll(() => x.close());

      beforeEach(async () => {
        await tamper(x, 'DELETE FROM audit_log');
        await sql(x, 'INSERT INTO audit_log SELECT * FROM audit_log_untouched');
        await sql(x, 'UPDATE audit_head h SET seq = u.seq, hash = u.hash FROM audit_head_untouched u');
        expect((await verify(x)).valid).toBe(true);
      });

      const seqOf = async (action: string, nth = 0) =>
        Number((await sql(x, 'SELECT seq FROM audit_log WHERE action = $1 ORDER BY seq OFFSET $2 LIMIT 1', [action, nth]))[0].seq);

      it('points at a row whose after was edited', async () => {
        const seq = await seqOf('participant.created', 2);
        await tamper(x, `UPDATE audit_log SET after = jsonb_set(after, '{name}', '"someone else"') WHERE seq = $1`, [seq]);
        expect(await verify(x)).toMatchObject({ valid: false, firstInvalidSeq: seq });
      });

      it('points at a row whose actor was changed', async () => {
        const seq = await seqOf('region.created', 1);
        await tamper(x, `UPDATE audit_log SET actor_id = NULL WHERE seq = $1`, [seq]);
        expect(await verify(x)).toMatchObject({ valid: false, firstInvalidSeq: seq });
      });

      it('points at a row whose time was moved by a microsecond, or by a millisecond', async () => {
        const seq = await seqOf('region.created', 2);
        await tamper(x, `UPDATE audit_log SET at = at + interval '1 microsecond' WHERE seq = $1`, [seq]);
        expect(await verify(x)).toMatchObject({ valid: false, firstInvalidSeq: seq });
        await tamper(x, `UPDATE audit_log SET at = at - interval '1 microsecond' + interval '1 millisecond' WHERE seq = $1`, [seq]);
        expect(await verify(x)).toMatchObject({ valid: false, firstInvalidSeq: seq });
        await tamper(x, `UPDATE audit_log SET at = at - interval '1 millisecond' WHERE seq = $1`, [seq]);
        expect(await verify(x)).toMatchObject({ valid: true, firstInvalidSeq: null });
      });

      it('notices the newest row deleted', async () => {
        const { entries } = await verify(x);
        await tamper(x, 'DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)');
        expect(await verify(x)).toMatchObject({ valid: false, entries: entries - 1, firstInvalidSeq: entries });
      });

      it('notices a row deleted from the middle', async () => {
        const seq = await seqOf('apiKey.created', 1);
        await tamper(x, 'DELETE FROM audit_log WHERE seq = $1', [seq]);
        expect(await verify(x)).toMatchObject({ valid: false, firstInvalidSeq: seq });
      });

      it('notices a row inserted past the head', async () => {
        const [last] = await sql(x, 'SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1');
        await sql(
          x,
          `INSERT INTO audit_log (seq, at, actor_id, action, entity_type, entity_id, before, after, request_id, prev_hash, hash)
           VALUES ($1, now(), NULL, 'participant.created', 'participant', 'forged', NULL, '{}', NULL, $2, $3)`,
          [Number(last.seq) + 1, last.hash, 'f'.repeat(64)],
        );
        expect(await verify(x)).toMatchObject({ valid: false, firstInvalidSeq: Number(last.seq) + 1 });
      });

      it('notices two rows swapped', async () => {
        const first = await seqOf('participant.created', 1);
        const second = await seqOf('participant.created', 2);
        await tamper(x, `UPDATE audit_log SET seq = -seq WHERE seq IN ($1, $2)`, [first, second]);
        await tamper(x, `UPDATE audit_log SET seq = CASE WHEN seq = -$1::bigint THEN $2::bigint ELSE $1::bigint END WHERE seq < 0`, [first, second]);
        expect(await verify(x)).toMatchObject({ valid: false, firstInvalidSeq: first });
      });

      it('stays invalid as the service keeps appending after the tampering', async () => {
        const seq = await seqOf('participant.created', 1);
        await tamper(x, `UPDATE audit_log SET entity_id = 'someone-else' WHERE seq = $1`, [seq]);
        await createParticipant(x, 'WATER_USER', '150422');
        expect(await verify(x)).toMatchObject({ valid: false, firstInvalidSeq: seq });
      });
    });
  });

  describe('concurrent writers', () => {
    it('keeps one unbroken chain, seq 1..N without gaps, under 40 concurrent creating requests from several callers', async () => {
      const before = (await verify(t)).entries;
      const callers = [t.adminKey];
      const regulators = await Promise.all(['150400', '150000'].map((code) => createParticipant(t, 'REGULATOR', code)));
      callers.push(...regulators.map((r) => r.apiKey));
      const enterprises = await Promise.all([0, 1, 2].map(() => createParticipant(t, 'ENTERPRISE', '150421')));
      const midBefore = (await verify(t)).entries;

      const jobs: Array<() => request.Test> = [];
      for (let i = 0; i < 40; i++) {
        const pick = i % 4;
        if (pick === 0) jobs.push(() => client(t, t.adminKey).post('/v1/participants', { name: `并发 ${i}`, kind: 'WATER_USER', regionCode: '150422' }) as request.Test);
        if (pick === 1) jobs.push(() => client(t, regulators[0].apiKey).put(`/v1/regions/150421/caps/${2040 + i}`, { totalCap: String(1000 + i) }) as request.Test);
        if (pick === 2) jobs.push(() => client(t, regulators[1].apiKey).put(`/v1/regions/150400/caps/${2040 + i}`, { totalCap: String(5000 + i) }) as request.Test);
        if (pick === 3) {
          const e = enterprises[i % 3];
          jobs.push(() => client(t, e.apiKey).post(`/v1/participants/${e.id}/api-keys`) as request.Test);
        }
      }
      const responses = await Promise.all(jobs.map((job) => job()));
      expect(responses.map((r) => r.status).filter((s) => s >= 300)).toEqual([]);

      const result = await verify(t);
      expect(result.valid).toBe(true);
      // Each participant adds two entries (itself and its key); caps and keys one each.
      expect(result.entries).toBe(midBefore + 10 * 2 + 30);
      expect(midBefore).toBeGreaterThan(before);
      const seqs = (await sql(t, 'SELECT seq FROM audit_log ORDER BY seq')).map((r) => Number(r.seq));
      expect(seqs).toEqual(Array.from({ length: result.entries }, (_, i) => i + 1));
      const [head] = await sql(t, 'SELECT seq, hash FROM audit_head');
      expect(Number(head.seq)).toBe(result.entries);
      expect(head.hash).toBe(result.head);
    });
  });
});
