import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Db } from '../../database/db.service';
import { audienceOf, AudienceKey } from '../events/audience';
import { EntityReadRules, ReadRules, ReadRulesRegistry, Redaction, WHOLE } from '../events/read-rules';
import { ParticipantsService } from '../participants/participants.service';
import { Jurisdiction } from '../regions/jurisdiction.service';
import { CashService } from './cash.service';
import { LedgerRepository } from './ledger.repository';

/**
 * Deposits and withdrawals have no GET of their own: they are lines of the participant's
 * ledger, read as GET /v1/participants/:id/ledger reads it (CashService.canReadBooks: the
 * participant, the operator, regulators with jurisdiction, but a regulator's own books by
 * itself and the operator only).
 */
@Injectable()
export class CashReadRules extends ReadRules implements EntityReadRules {
  readonly entityTypes = ['deposit', 'withdrawal'] as const;

  constructor(
    registry: ReadRulesRegistry,
    private readonly db: Db,
    private readonly ledger: LedgerRepository,
    private readonly participants: ParticipantsService,
    private readonly cash: CashService,
    private readonly jurisdiction: Jurisdiction,
  ) {
    super(registry);
  }

  async readable(actor: Actor, entityType: 'deposit' | 'withdrawal', ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>> {
    const owned = await this.ledger.cashMovementOwners(this.db.manager, entityType, ids);
    const owners = await this.participants.findMany(this.db.manager, [...new Set(owned.map((o) => o.participant_id))]);
    const batch = this.jurisdiction.forBatch();
    return this.sift(owned, (o) => o.id, async (o) => {
      const owner = owners.get(o.participant_id);
      return owner && (await this.cash.canReadBooks(actor, owner, batch)) ? WHOLE : null;
    });
  }

  /** The participant whose books it is in, and regulators over its region. */
  async audience(entityType: 'deposit' | 'withdrawal', ids: readonly string[]): Promise<ReadonlyMap<string, readonly AudienceKey[]>> {
    const owned = await this.ledger.cashMovementOwners(this.db.manager, entityType, ids);
    const owners = await this.participants.findMany(this.db.manager, [...new Set(owned.map((o) => o.participant_id))]);
    return new Map(owned.map((o) => [o.id, audienceOf([o.participant_id], [owners.get(o.participant_id)?.region_code])]));
  }

  /**
   * A deposit or a withdrawal by its participant's region; a regulator's by none, so the
   * operator's alone. A regulator's books are read only by itself and the operator (API.md,
   * Sealed bids): regions bidding for cap must not see each other's cash, and its deposits'
   * amounts in the log of the regulators above it would show them what it can bid.
   */
  async auditRegions(entityType: 'deposit' | 'withdrawal', ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    const owned = await this.ledger.cashMovementOwners(this.db.manager, entityType, ids);
    const owners = await this.participants.findMany(this.db.manager, [...new Set(owned.map((o) => o.participant_id))]);
    return this.regionsBy(owned, (o) => o.id, (o) => {
      const owner = owners.get(o.participant_id);
      return owner?.kind === 'REGULATOR' ? [] : [owner?.region_code];
    });
  }
}
