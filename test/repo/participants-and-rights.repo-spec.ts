import { randomUUID } from 'node:crypto';
import { ApiKeysRepository } from '../../src/modules/participants/api-keys.repository';
import { ParticipantsRepository } from '../../src/modules/participants/participants.repository';
import { RightsRepository } from '../../src/modules/rights/rights.repository';
import { participant, regionTree } from './support/fixtures';
import { openRepoDatabase, RepoDatabase, sqlState } from './support/repo-database';

const participants = new ParticipantsRepository();
const keys = new ApiKeysRepository();
const rights = new RightsRepository();

describe('participants, API keys and rights repositories', () => {
  let db: RepoDatabase;
  let regulator: string;
  let holder: string;

  beforeAll(async () => {
    db = await openRepoDatabase();
    await regionTree(db);
    await participant(db, 'OPERATOR', '150000');
    regulator = (await participant(db, 'REGULATOR', '150400')).id;
    holder = (await participant(db, 'ENTERPRISE', '150421')).id;
  });
  afterAll(() => db.close());

  describe('participants', () => {
    it('keeps exactly one operator (unique index)', async () => {
      expect((await participants.operator(db.pool))!.kind).toBe('OPERATOR');
      expect(await sqlState(participant(db, 'OPERATOR', '150000'))).toBe('23505');
    });

    it('lists by jurisdiction and kind, newest first, continuing strictly before a keyset', async () => {
      await participant(db, 'WATER_USER', '150422');
      const inCity = await participants.list(db.pool, { regionCodes: ['150400', '150421', '150422'], limit: 100 });
      expect(inCity.map((p) => p.region_code).every((code) => code.startsWith('1504'))).toBe(true);
      expect(inCity).toHaveLength(3);
      const [newest, ...older] = inCity;
      expect(await participants.list(db.pool, { regionCodes: ['150400', '150421', '150422'], before: [newest.cursor_at, newest.id], limit: 100 })).toEqual(older);
      expect((await participants.list(db.pool, { kind: 'REGULATOR', limit: 100 })).map((p) => p.id)).toEqual([regulator]);
    });
  });

  describe('API keys', () => {
    const issue = async (hashChar: string, fromEnv = false) => {
      const id = randomUUID();
      await db.tx((tx) => keys.insert(tx, { id, participant_id: holder, key_hash: hashChar.repeat(64), from_env: fromEnv }));
      return id;
    };

    it('authenticates an unrevoked key with its participant, and never a revoked one', async () => {
      const id = await issue('a');
      expect(await keys.activeHolder(db.pool, 'a'.repeat(64))).toMatchObject({ id, participant_id: holder, kind: 'ENTERPRISE', region_code: '150421', last_used_at: null });
      await db.tx(async (tx) => {
        await keys.lockForUpdate(tx, id, holder);
        await keys.revoke(tx, id);
      });
      expect(await keys.activeHolder(db.pool, 'a'.repeat(64))).toBeNull();
      expect(await sqlState(issue('a'))).toBe('23505');
    });

    it('records a use at most once a minute', async () => {
      const id = await issue('b');
      await keys.touch(db.pool, id);
      const first = (await keys.activeHolder(db.pool, 'b'.repeat(64)))!.last_used_at;
      await keys.touch(db.pool, id);
      expect((await keys.activeHolder(db.pool, 'b'.repeat(64)))!.last_used_at).toEqual(first);
    });

    it('finds the active keys of a participant, or only the one mirroring ADMIN_API_KEY', async () => {
      const envKey = await issue('c', true);
      expect((await keys.active(db.pool, holder, true)).map((k) => k.id)).toEqual([envKey]);
      expect((await keys.active(db.pool, holder, false)).map((k) => k.id)).toContain(envKey);
    });
  });

  describe('rights and allocations', () => {
    const right = (permitNo: string, fields: { valid_from?: string; valid_to?: string } = {}) =>
      db.tx((tx) =>
        rights.insert(tx, {
          id: randomUUID(), holder_id: holder, region_code: '150421', source: 'SURFACE', use_type: 'INDUSTRY', annual_volume: '1000',
          valid_from: '2025-01-01', valid_to: '2029-12-31', permit_no: permitNo, created_by: regulator, ...fields,
        }),
      );

    it('reads dates back as the calendar days written, whatever the server\'s time zone', async () => {
      expect(await right('P-1')).toMatchObject({ valid_from: '2025-01-01', valid_to: '2029-12-31', annual_volume: '1000.000' });
    });

    it('registers a permit once, and no right that ends before it starts (constraints)', async () => {
      expect(await rights.permitTaken(db.pool, 'P-1')).toBe(true);
      expect(await sqlState(right('P-1'))).toBe('23505');
      expect(await sqlState(right('P-2', { valid_from: '2026-01-01', valid_to: '2025-12-31' }))).toBe('23514');
    });

    it('sums what a right allocated in one year only', async () => {
      const r = await right('P-3');
      const allocate = (year: number, volume: string) =>
        db.tx((tx) => rights.insertAllocation(tx, { id: randomUUID(), right_id: r.id, year, volume, market_id: `150421-SURFACE-${year}`, created_by: regulator }));
      await allocate(2026, '300');
      await allocate(2026, '200.5');
      await allocate(2027, '999');
      expect(await rights.allocatedInYear(db.pool, r.id, 2026)).toBe('500.500');
      expect(await rights.allocatedInYear(db.pool, r.id, 2028)).toBe('0');
    });
  });
});
