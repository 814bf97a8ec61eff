import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Db } from '../../database/db.service';
import { audienceOf, AudienceKey } from '../events/audience';
import { EntityReadRules, ReadRules, ReadRulesRegistry, Redaction, WHOLE } from '../events/read-rules';
import { RightTransfersRepository } from './right-transfers.repository';
import { RightTransfersService } from './right-transfers.service';

/** Transfers of rights, as GET /v1/right-transfers/:id reads them: the parties, the operator, regulators who may decide them. */
@Injectable()
export class RightTransferReadRules extends ReadRules implements EntityReadRules {
  readonly entityTypes = ['rightTransfer'] as const;

  constructor(
    registry: ReadRulesRegistry,
    private readonly db: Db,
    private readonly transfers: RightTransfersService,
    private readonly rows: RightTransfersRepository,
  ) {
    super(registry);
  }

  async readable(actor: Actor, _entityType: 'rightTransfer', ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>> {
    return new Map((await this.transfers.visibleIds(actor, ids)).map((id) => [id, WHOLE]));
  }

  /** The parties, and regulators over the right's region (one who may decide it covers the buyer's too). */
  async audience(_entityType: 'rightTransfer', ids: readonly string[]): Promise<ReadonlyMap<string, readonly AudienceKey[]>> {
    return new Map((await this.rows.findMany(this.db.manager, ids)).map((t) => [t.id, audienceOf([t.seller_id, t.buyer_id], [t.region_code, t.buyer_region_code])]));
  }

  /** A transfer of rights by its right's region. */
  async auditRegions(_entityType: 'rightTransfer', ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    return this.regionsBy(await this.rows.findMany(this.db.manager, ids), (t) => t.id, (t) => [t.region_code]);
  }
}
