import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type Decimal from 'decimal.js';
import { FailureLog } from '../../common/jobs/failure-log';
import { everyInterval } from '../../common/jobs/interval';
import { AppConfig } from '../../config/app-config';
import { Db } from '../../database/db.service';
import { ParticipantsService } from '../participants/participants.service';
import { LedgerService } from './ledger.service';

/**
 * Moves the fees the markets' fee books have collected into the operator's cash, every
 * FEE_SWEEP_INTERVAL_MS. A book a settlement holds at that moment waits for the next run, so
 * the sweep never holds up trading; instances running it together each take other books.
 */
@Injectable()
export class FeeSweepJob implements OnApplicationBootstrap {
  private readonly failures = new FailureLog(new Logger('FeeSweep'), 'the fee sweep');

  constructor(
    private readonly db: Db,
    private readonly ledger: LedgerService,
    private readonly participants: ParticipantsService,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    everyInterval(this.scheduler, this.config, 'fee-sweep', this.config.feeSweepIntervalMs, () => this.tick());
  }

  async tick(): Promise<void> {
    try {
      await this.run();
      this.failures.succeeded();
    } catch (err) {
      this.failures.failed(err);
    }
  }

  /** One sweep; answers what it moved to the operator. */
  async run(): Promise<Decimal> {
    const operator = await this.participants.operator();
    return this.db.transaction((tx) => this.ledger.sweepFees(tx, operator.id, true));
  }
}
