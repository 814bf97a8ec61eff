import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Db } from '../../database/db.service';
import { audienceOf, AudienceKey } from '../events/audience';
import { EntityReadRules, marketRegions, ReadRules, ReadRulesRegistry, Redaction, WHOLE } from '../events/read-rules';
import { TransfersRepository } from './transfers.repository';
import { mayReadTransfer } from './transfers.service';

/** Negotiated transfers, as GET /v1/transfers/:id reads them: the two parties and the operator. */
@Injectable()
export class TransferReadRules extends ReadRules implements EntityReadRules {
  readonly entityTypes = ['transfer'] as const;

  constructor(registry: ReadRulesRegistry, private readonly db: Db, private readonly transfers: TransfersRepository) {
    super(registry);
  }

  async readable(actor: Actor, _entityType: 'transfer', ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>> {
    return this.sift(await this.transfers.findMany(this.db.manager, ids), (t) => t.id, (t) => (mayReadTransfer(actor, t) ? WHOLE : null));
  }

  /** The two parties. */
  async audience(_entityType: 'transfer', ids: readonly string[]): Promise<ReadonlyMap<string, readonly AudienceKey[]>> {
    return new Map((await this.transfers.findMany(this.db.manager, ids)).map((t) => [t.id, audienceOf([t.seller_id, t.buyer_id])]));
  }

  /** A negotiated transfer by its market's region. */
  async auditRegions(_entityType: 'transfer', ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    return marketRegions((await this.transfers.findMany(this.db.manager, ids)).map((t) => ({ id: t.id, marketId: t.market_id })));
  }
}
