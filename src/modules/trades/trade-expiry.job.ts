import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { TradesService } from './trades.service';

/** Expires trades still pending at approvalDueAt, every EXPIRY_INTERVAL_MS (well within a minute). */
@Injectable()
export class TradeExpiryJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TradeExpiry');
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(private readonly trades: TradesService, private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    if (this.config.runJobs) this.timer = setInterval(() => void this.tick(), this.config.expiryIntervalMs);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
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
      this.logger.error(`trade expiry failed: ${(err as Error)?.message}`);
    } finally {
      this.running = false;
    }
  }
}
