import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Page } from '../../common/paging/cursor';
import { ApprovalType } from '../../core/approval';
import { RegionalTradesService } from '../regional-trades/regional-trades.service';
import { RightTransfersService } from '../right-transfers/right-transfers.service';
import { TradesService } from '../trades/trades.service';

/** What regulators decide: one queue per type, each with its deadline. */
export interface ApprovalQueue {
  noun: string;
  /** The objects in `status` the regulator may decide, oldest first. */
  list(actor: Actor, status: string, limit: number, cursor?: string): Promise<Page<{ id: string }>>;
  /** Decides, as EXPIRED, what is still pending past its approval deadline; how many it expired. */
  expireDue(): Promise<number>;
}

@Injectable()
export class ApprovalQueues {
  private readonly queues: Record<ApprovalType, ApprovalQueue>;

  constructor(trades: TradesService, rightTransfers: RightTransfersService, regionalTrades: RegionalTradesService) {
    this.queues = {
      TRADE: { noun: 'trades', list: (...a) => trades.approvals(...a), expireDue: () => trades.expireDue() },
      RIGHT_TRANSFER: { noun: 'transfers of rights', list: (...a) => rightTransfers.approvals(...a), expireDue: () => rightTransfers.expireDue() },
      REGIONAL_TRADE: { noun: 'regional trades', list: (...a) => regionalTrades.approvals(...a), expireDue: () => regionalTrades.expireDue() },
    };
  }

  of(type: ApprovalType): ApprovalQueue {
    return this.queues[type];
  }

  all(): ApprovalQueue[] {
    return Object.values(this.queues);
  }
}
