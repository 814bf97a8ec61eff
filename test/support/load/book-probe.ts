import type { CheckContext } from './driver';
import type { Party } from './world';

const LEVELS = 3;

/**
 * The instance's in-memory book, rebuilt from the open orders after a restart, must match
 * them in price-time priority. For each side of each market, an IOC order from a
 * participant the load never uses sweeps the best LEVELS price levels: it must fill
 * exactly the stored open orders of those levels, best price first, oldest first, each for
 * its whole rest. An order missing from the rebuilt book, an extra one or a wrong queue
 * order shows as a difference. The probe's orders and trades are ordinary ones (keys and
 * client order ids prefixed `probe-`), so the other checks hold them to the same rules.
 */
export async function probeRebuiltBooks(ctx: CheckContext, probe: Party, round: number): Promise<string[]> {
  const problems: string[] = [];
  for (const marketId of ctx.world.marketIds) {
    for (const makerSide of ['SELL', 'BUY'] as const) {
      const { rows: resting } = await ctx.db.query(
        `SELECT id, price::text, (volume - filled_volume)::text AS rest FROM orders
          WHERE market_id = $1 AND side = $2 AND status IN ('OPEN','PARTIALLY_FILLED')
          ORDER BY price ${makerSide === 'SELL' ? 'ASC' : 'DESC'}, seq ASC`,
        [marketId, makerSide],
      );
      const levels = [...new Set(resting.map((r) => Number(r.price)))].slice(0, LEVELS);
      if (levels.length === 0) continue;
      const expected = resting.filter((r) => levels.includes(Number(r.price)));
      const volume = expected.reduce((s, r) => s + Number(r.rest), 0);
      const a = await ctx.target.send({
        method: 'POST', path: `/v1/markets/${marketId}/orders`, apiKey: probe.apiKey, idempotencyKey: `probe-${round}-${marketId}-${makerSide}`,
        body: { side: makerSide === 'SELL' ? 'BUY' : 'SELL', price: levels[levels.length - 1].toFixed(2), volume: String(volume), timeInForce: 'IOC', clientOrderId: `probe-${round}-${marketId}-${makerSide}` },
      });
      if (a.status !== 201) {
        problems.push(`probe of ${marketId} ${makerSide}: ${a.status} ${JSON.stringify(a.body)}`);
        continue;
      }
      const tradeIds = (a.body.trades as any[]).map((t) => t.id);
      const { rows: makers } = await ctx.db.query(
        `SELECT t.id, CASE WHEN $2 = 'SELL' THEN t.sell_order_id ELSE t.buy_order_id END AS maker, t.volume::text FROM trades t WHERE t.id = ANY($1)`,
        [tradeIds, makerSide],
      );
      const byTrade = new Map(makers.map((m) => [m.id, m]));
      const filled = tradeIds.map((id) => `${byTrade.get(id)?.maker} ${Number(byTrade.get(id)?.volume)}`);
      // A buy maker whose owner could not fund its fill is cancelled instead (DOMAIN.md), not skipped silently.
      const { rows: cancelled } = await ctx.db.query(`SELECT id FROM orders WHERE id = ANY($1) AND cancel_reason = 'FUNDS'`, [expected.map((r) => r.id)]);
      const unfunded = new Set(cancelled.map((r) => r.id));
      const wanted = expected.filter((r) => !unfunded.has(r.id)).map((r) => `${r.id} ${Number(r.rest)}`);
      if (JSON.stringify(filled) !== JSON.stringify(wanted)) {
        problems.push(`market ${marketId}: sweeping ${levels.length} ${makerSide} levels filled ${JSON.stringify(filled)}, the stored open orders in priority are ${JSON.stringify(wanted)}`);
      }
    }
  }
  return problems;
}
