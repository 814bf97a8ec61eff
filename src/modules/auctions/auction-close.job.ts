import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { FailureLog } from '../../common/jobs/failure-log';
import { everyExpiryInterval } from '../../common/jobs/interval';
import { AppConfig } from '../../config/app-config';
import { AuctionCloseService } from './auction-close.service';

const BATCH = 20;

/**
 * Closes auctions past closesAt, every EXPIRY_INTERVAL_MS (well within the minute API.md
 * allows), each in its own transaction. Several instances may run it at once: each
 * auction is closed under its row lock, taken with SKIP LOCKED, so exactly one of them
 * closes it. While a market is halted its auctions wait. One auction that fails is logged
 * and does not hold up the others.
 */
@Injectable()
export class AuctionCloseJob implements OnApplicationBootstrap {
  private readonly logger = new Logger('AuctionClose');
  private readonly failures = new FailureLog(this.logger, 'closing auctions');
  private readonly failedCloses = new FailureLog(this.logger, 'closing an auction');

  constructor(private readonly closes: AuctionCloseService, private readonly config: AppConfig, private readonly scheduler: SchedulerRegistry) {}

  onApplicationBootstrap(): void {
    everyExpiryInterval(this.scheduler, this.config, 'auction-close', () => this.tick());
  }

  async tick(): Promise<void> {
    try {
      const failed = new Set<string>();
      for (;;) {
        const due = (await this.closes.due(BATCH + failed.size)).filter((id) => !failed.has(id));
        let closed = 0;
        for (const id of due) {
          try {
            if (await this.closes.closeIfDue(id)) closed++;
            this.failedCloses.succeeded(id);
          } catch (err) {
            failed.add(id);
            this.failedCloses.failed(err, id);
          }
        }
        if (closed > 0) this.logger.log(`closed ${closed} auctions past closesAt`);
        if (due.length < BATCH) {
          // Every due auction was seen: a spell of one not among them has ended elsewhere.
          this.failedCloses.keepOnly(failed);
          break;
        }
        if (closed === 0) break;
      }
      this.failures.succeeded();
    } catch (err) {
      this.failures.failed(err);
    }
  }
}
