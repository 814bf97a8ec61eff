import { Module } from '@nestjs/common';
import { AnnouncementsModule } from '../announcements/announcements.module';
import { AuditModule } from '../audit/audit.module';
import { LedgerModule } from '../ledger/ledger.module';
import { ParticipantsModule } from '../participants/participants.module';
import { RegionsModule } from '../regions/regions.module';
import { RightsModule } from '../rights/rights.module';
import { TradesModule } from '../trades/trades.module';
import { RightTransfersController } from './right-transfers.controller';
import { RightTransfersRepository } from './right-transfers.repository';
import { RightTransfersService } from './right-transfers.service';

/** 取水权交易: transfers of part of a right for whole years, with the registry change on approval. */
@Module({
  imports: [AnnouncementsModule, AuditModule, LedgerModule, ParticipantsModule, RegionsModule, RightsModule, TradesModule],
  controllers: [RightTransfersController],
  providers: [RightTransfersRepository, RightTransfersService],
  exports: [RightTransfersService],
})
export class RightTransfersModule {}
