import { Module } from '@nestjs/common';
import { AnnouncementsModule } from '../announcements/announcements.module';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { LedgerModule } from '../ledger/ledger.module';
import { MarketsModule } from '../markets/markets.module';
import { RegionsModule } from '../regions/regions.module';
import { TradesModule } from '../trades/trades.module';
import { AuctionAccess } from './auction-access';
import { AuctionCloseJob } from './auction-close.job';
import { AuctionReadRules } from './auction-read-rules';
import { AuctionCloseService } from './auction-close.service';
import { AuctionsController } from './auctions.controller';
import { AuctionsRepository } from './auctions.repository';
import { AuctionsService } from './auctions.service';
import { BidsService } from './bids.service';

/** 挂牌竞价 listings and 收储 tenders on sealed bids; the close opens ordinary trades. AuctionAccess tells who may read what. */
@Module({
  imports: [AnnouncementsModule, AuditModule, EventsModule, LedgerModule, MarketsModule, RegionsModule, TradesModule],
  controllers: [AuctionsController],
  providers: [AuctionsRepository, AuctionsService, BidsService, AuctionCloseService, AuctionCloseJob, AuctionAccess, AuctionReadRules],
  exports: [AuctionAccess],
})
export class AuctionsModule {}
