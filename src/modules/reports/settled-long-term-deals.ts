import { Injectable } from '@nestjs/common';
import { yearEndsAt, yearStartsAt } from '../../core/calendar/exchange-calendar';
import { formatAmount, formatVolume } from '../../core/decimal';
import { Db } from '../../database/db.service';
import { RegionalTradesRepository } from '../regional-trades/regional-trades.repository';
import { RightTransfersRepository } from '../right-transfers/right-transfers.repository';
import { LongTermDeals, LongTermDealTotals } from './long-term-deals';

/** The long-term deals a report counts, read from the tables of the two modules that own them. */
@Injectable()
export class SettledLongTermDeals extends LongTermDeals {
  constructor(
    private readonly db: Db,
    private readonly rightTransfers: RightTransfersRepository,
    private readonly regionalTrades: RegionalTradesRepository,
  ) {
    super();
  }

  async settledIn(regionCodes: readonly string[], year: number): Promise<LongTermDealTotals[]> {
    const [from, to] = [yearStartsAt(year), yearEndsAt(year)];
    const totals = [
      { type: 'RIGHT_TRANSFER' as const, ...(await this.rightTransfers.settledTotals(this.db.manager, regionCodes, from, to)) },
      { type: 'REGIONAL_TRADE' as const, ...(await this.regionalTrades.settledTotals(this.db.manager, regionCodes, from, to)) },
    ];
    // A type without deals is absent (API.md, Reports for regulators).
    return totals
      .filter((t) => t.deals > 0)
      .map((t) => ({ type: t.type, deals: t.deals, volumePerYear: formatVolume(t.volume_per_year), amount: formatAmount(t.amount) }));
  }
}
