import { Pool } from 'pg';

/** An order as the ceiling server receives it, with the way to answer its request. */
export interface Placement {
  id: string;
  market: number;
  participant: string;
  side: string;
  price: string;
  volume: string;
  tif: string;
  key: string;
  answer: (status: number, body: object) => void;
}

const INSERT_ONE = `WITH k AS (INSERT INTO idempotency (participant, key, response) VALUES ($2, $8, $9))
  INSERT INTO orders (id, market, participant, side, price, volume, tif) VALUES ($1, $3, $2, $4, $5, $6, $7)`;
const INSERT_GROUP = `WITH k AS (INSERT INTO idempotency (participant, key, response) SELECT * FROM unnest($2::uuid[], $8::text[], $9::text[]))
  INSERT INTO orders (id, market, participant, side, price, volume, tif) SELECT * FROM unnest($1::uuid[], $3::int[], $2::uuid[], $4::text[], $5::numeric[], $6::numeric[], $7::text[])`;

const view = (p: Placement) => ({ id: p.id, marketId: String(p.market), side: p.side, price: p.price, volume: p.volume, timeInForce: p.tif, status: 'OPEN', trades: [] });
const failed = (err: unknown) => ({ title: String(err) });

/**
 * How placements reach the database. `request`: one statement per placement, committed on
 * its own. `grouped`: a market's placements that arrive while its group is at the database
 * go in the next group, one statement and one commit for all, each answered after it.
 */
export function placer(pool: Pool, mode: 'request' | 'grouped'): (p: Placement) => void {
  if (mode === 'request') {
    return (p) => {
      const body = view(p);
      pool.query({ name: 'one', text: INSERT_ONE, values: [p.id, p.participant, p.market, p.side, p.price, p.volume, p.tif, p.key, JSON.stringify(body)] })
        .then(() => p.answer(201, body), (err) => p.answer(500, failed(err)));
    };
  }
  const queues = new Map<number, { busy: boolean; waiting: Placement[] }>();
  const writeGroups = async (q: { busy: boolean; waiting: Placement[] }) => {
    q.busy = true;
    while (q.waiting.length > 0) {
      const group = q.waiting.splice(0, q.waiting.length);
      const bodies = group.map(view);
      const column = <K extends keyof Placement>(k: K) => group.map((p) => p[k]);
      try {
        await pool.query({ name: 'group', text: INSERT_GROUP, values: [column('id'), column('participant'), column('market'), column('side'), column('price'), column('volume'), column('tif'), column('key'), bodies.map((b) => JSON.stringify(b))] });
        group.forEach((p, i) => p.answer(201, bodies[i]));
      } catch (err) {
        for (const p of group) p.answer(500, failed(err));
      }
    }
    q.busy = false;
  };
  return (p) => {
    const q = queues.get(p.market) ?? queues.set(p.market, { busy: false, waiting: [] }).get(p.market)!;
    q.waiting.push(p);
    if (!q.busy) void writeGroups(q);
  };
}
