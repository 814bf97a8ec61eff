import { randomUUID } from 'node:crypto';
import { ApiKeysRepository } from '../../src/modules/participants/api-keys.repository';
import { ParticipantsRepository } from '../../src/modules/participants/participants.repository';
import { RightsRepository } from '../../src/modules/rights/rights.repository';
import { participant, regionTree } from './support/fixtures';
import { blocksOn, holdOpen, openRepoDatabase, RepoDatabase, sqlState } from './support/repo-database';

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

    it('refuses any change to a participant row, which instances keep for their life (trigger)', async () => {
      const before = await participants.find(db.pool, holder);
      expect(await sqlState(db.pool.query(`UPDATE participants SET use_type = 'INDUSTRY' WHERE id = $1`, [holder]))).toBe('42501');
      expect(await sqlState(db.pool.query(`UPDATE participants SET region_code = '150422' WHERE id = $1`, [holder]))).toBe('42501');
      expect(await participants.find(db.pool, holder)).toEqual(before);
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
          valid_from: '2025-01-01', valid_to: '2029-12-31', permit_no: permitNo, parent_right_id: null, created_by: regulator, ...fields,
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

    it('keeps each year of a right within its annual volume: allocations, reservations and transfers out together (constraint)', async () => {
      const r = await right('P-3');
      const add = (years: number[], delta: { allocated?: string; reservedOut?: string; transferredOut?: string }) =>
        db.tx((tx) => rights.addToYears(tx, r, years, delta));
      await add([2026], { allocated: '300' });
      await add([2026, 2027], { reservedOut: '500.5' });
      await add([2026], { reservedOut: '-500.5', transferredOut: '500.5' });
      expect(await sqlState(add([2026], { allocated: '199.501' }))).toBe('23514');
      expect(await sqlState(add([2027], { reservedOut: '-600' }))).toBe('23514');
      await add([2026], { allocated: '199.5' });
      expect((await rights.years(db.pool, [r.id])).map((y) => [y.year, y.allocated, y.reserved_out, y.transferred_out])).toEqual([
        [2026, '499.500', '0.000', '500.500'],
        [2027, '0.000', '500.500', '0.000'],
      ]);
    });

    it('locks the right row for a change of its yearly figures (lock order, rank 3)', async () => {
      const r = await right('P-4');
      const held = holdOpen(db, (tx) => rights.lockForUpdate(tx, r.id));
      await held.ready;
      expect(await blocksOn(db, (tx) => rights.lockForUpdate(tx, r.id))).toBe(true);
      await held.release();
      expect(await blocksOn(db, (tx) => rights.lockForUpdate(tx, r.id))).toBe(false);
    });

    it('counts the rights created from an original, for the next -T<n>', async () => {
      const original = await right('P-5');
      expect(await rights.childCount(db.pool, original.id)).toBe(0);
      await right('P-5-T1', { parent_right_id: original.id } as { valid_from?: string });
      expect(await rights.childCount(db.pool, original.id)).toBe(1);
    });
  });
});
