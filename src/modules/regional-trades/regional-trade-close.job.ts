import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config';
import { RegionalTradesService } from './regional-trades.service';

/**
 * Closes regional trades whose notice period is over, every EXPIRY_INTERVAL_MS (well within
 * a minute after closesAt). The interval is registered with the scheduler, which stops it
 * at shutdown.
 */
@Injectable()
export class RegionalTradeCloseJob implements OnApplicationBootstrap {
  private readonly logger = new Logger('RegionalTradeClose');
  private running = false;

  constructor(private readonly trades: RegionalTradesService, private readonly config: AppConfig, private readonly scheduler: SchedulerRegistry) {}

  onApplicationBootstrap(): void {
    if (this.config.runJobs) this.scheduler.addInterval('regional-trade-close', setInterval(() => void this.tick(), this.config.expiryIntervalMs));
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      let closed: number;
      do {
        closed = await this.trades.closeDue();
        if (closed > 0) this.logger.log(`closed ${closed} regional trades at the end of their notice`);
      } while (closed > 0);
    } catch (err) {
      this.logger.error(`closing regional trades failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.running = false;
    }
  }
}
