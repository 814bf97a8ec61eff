import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { EntityReadRules, ReadRules, ReadRulesRegistry, Redaction, WHOLE } from '../events/read-rules';
import { RightTransfersService } from './right-transfers.service';

/** Transfers of rights, as GET /v1/right-transfers/:id reads them: the parties, the operator, regulators who may decide them. */
@Injectable()
export class RightTransferReadRules extends ReadRules implements EntityReadRules {
  readonly entityTypes = ['rightTransfer'] as const;

  constructor(registry: ReadRulesRegistry, private readonly transfers: RightTransfersService) {
    super(registry);
  }

  async readable(actor: Actor, _entityType: 'rightTransfer', ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>> {
    return new Map((await this.transfers.visibleIds(actor, ids)).map((id) => [id, WHOLE]));
  }
}
