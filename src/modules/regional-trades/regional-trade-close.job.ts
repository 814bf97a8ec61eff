import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { FailureLog } from '../../common/jobs/failure-log';
import { everyExpiryInterval } from '../../common/jobs/interval';
import { AppConfig } from '../../config/app-config';
import { RegionalTradesService } from './regional-trades.service';

/**
 * Closes regional trades whose notice period is over, every EXPIRY_INTERVAL_MS (well within
 * a minute after closesAt).
 */
@Injectable()
export class RegionalTradeCloseJob implements OnApplicationBootstrap {
  private readonly logger = new Logger('RegionalTradeClose');
  private readonly failures = new FailureLog(this.logger, 'closing regional trades');

  constructor(private readonly trades: RegionalTradesService, private readonly config: AppConfig, private readonly scheduler: SchedulerRegistry) {}

  onApplicationBootstrap(): void {
    everyExpiryInterval(this.scheduler, this.config, 'regional-trade-close', () => this.tick());
  }

  async tick(): Promise<void> {
    try {
      let closed: number;
      do {
        closed = await this.trades.closeDue();
        if (closed > 0) this.logger.log(`closed ${closed} regional trades at the end of their notice`);
      } while (closed > 0);
      this.failures.succeeded();
    } catch (err) {
      this.failures.failed(err);
    }
  }
}
