import { Global, Module } from '@nestjs/common';
import { CashService } from './cash.service';
import { LedgerAccountsRepository } from './ledger-accounts.repository';
import { LedgerController } from './ledger.controller';
import { LedgerService } from './ledger.service';

/** Global: markets, trades, transfers and projects all move value through LedgerService. */
@Global()
@Module({
  controllers: [LedgerController],
  providers: [LedgerService, LedgerAccountsRepository, CashService],
  exports: [LedgerService],
})
export class LedgerModule {}
