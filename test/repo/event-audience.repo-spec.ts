import { AudienceRepository } from '../../src/modules/events/audience.repository';
import { holdOpen, openRepoDatabase, RepoDatabase, untilOneWaits } from './support/repo-database';

const audience = new AudienceRepository();

describe('event audience repository (event_audience, its head)', () => {
  let db: RepoDatabase;
  beforeAll(async () => {
    db = await openRepoDatabase();
  });
  afterAll(() => db.close());

  const stored = async () =>
    (await db.pool.query(`SELECT key::text, seq::text FROM event_audience ORDER BY seq, key`)) as { key: string; seq: string }[];
  const hashOf = async (key: string) => ((await db.pool.query('SELECT hashtextextended($1, 0)::text AS h', [key])) as { h: string }[])[0].h;

  it('files each key of an entry once, a key named twice for one entry included, and moves the head with them', async () => {
    expect(await db.tx((tx) => audience.add(tx, 0, 3, ['p:a', 'r:150421', 'p:a', 'r:150421', 'p:b'], ['1', '1', '1', '2', '3']))).toBe(true);
    expect(await stored()).toEqual(
      [
        { key: await hashOf('p:a'), seq: '1' },
        { key: await hashOf('r:150421'), seq: '1' },
        { key: await hashOf('r:150421'), seq: '2' },
        { key: await hashOf('p:b'), seq: '3' },
      ].sort((x, y) => Number(x.seq) - Number(y.seq) || (BigInt(x.key) < BigInt(y.key) ? -1 : 1)),
    );
    expect((await audience.progress(db.pool)).indexedTo).toBe(3);
  });

  it('files again over rows already there when the head is set back, as a rebuild that did not empty the index does', async () => {
    const before = await stored();
    await db.pool.query('UPDATE event_audience_head SET indexed_to = 0');
    expect(await db.tx((tx) => audience.add(tx, 0, 3, ['p:a', 'r:150421', 'p:a', 'r:150421', 'p:b'], ['1', '1', '1', '2', '3']))).toBe(true);
    expect(await stored()).toEqual(before);
    expect((await audience.progress(db.pool)).indexedTo).toBe(3);
  });

  it('writes nothing when the head is no longer where the step began', async () => {
    const before = await stored();
    expect(await db.tx((tx) => audience.add(tx, 0, 5, ['p:c'], ['4']))).toBe(false);
    expect(await stored()).toEqual(before);
    expect((await audience.progress(db.pool)).indexedTo).toBe(3);
  });

  it('of two steps from the same head at once, lets one write and the other find its work done, without an error', async () => {
    const first = holdOpen(db, (tx) => audience.add(tx, 3, 4, ['p:d'], ['4']));
    expect(await first.ready).toBe(true);
    const second = db.tx((tx) => audience.add(tx, 3, 4, ['p:d', 'p:e'], ['4', '4']));
    await untilOneWaits(db);
    await first.release();
    expect(await second).toBe(false);
    expect((await stored()).filter((r) => r.seq === '4')).toEqual([{ key: await hashOf('p:d'), seq: '4' }]);
    expect((await audience.progress(db.pool)).indexedTo).toBe(4);
  });
});
