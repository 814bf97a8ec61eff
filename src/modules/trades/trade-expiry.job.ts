import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../config/app-config';
import { TradesService } from './trades.service';

/**
 * Expires trades still pending at approvalDueAt, every EXPIRY_INTERVAL_MS (well within a
 * minute). The interval is registered with the scheduler, which stops it at shutdown.
 */
@Injectable()
export class TradeExpiryJob implements OnApplicationBootstrap {
  private readonly logger = new Logger('TradeExpiry');
  private running = false;

  constructor(private readonly trades: TradesService, private readonly config: AppConfig, private readonly scheduler: SchedulerRegistry) {}

  onApplicationBootstrap(): void {
    if (this.config.runJobs) this.scheduler.addInterval('trade-expiry', setInterval(() => void this.tick(), this.config.expiryIntervalMs));
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      let expired: number;
      do {
        expired = await this.trades.expireDue();
        if (expired > 0) this.logger.log(`expired ${expired} trades past their approval deadline`);
      } while (expired > 0);
    } catch (err) {
      this.logger.error(`trade expiry failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.running = false;
    }
  }
}
