import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Db } from '../../database/db.service';
import { audienceOf, AudienceKey, EVERYONE } from '../events/audience';
import { EntityReadRules, only, ReadRules, ReadRulesRegistry, Redaction, WHOLE } from '../events/read-rules';
import { Jurisdiction } from '../regions/jurisdiction.service';
import { ApiKeysRepository } from './api-keys.repository';
import { PUBLIC_PARTICIPANT_FIELDS } from './participant-views';
import { ParticipantsRepository } from './participants.repository';
import { ParticipantsService } from './participants.service';

/**
 * Participants and API keys, as their GETs read them: anyone sees a participant's public
 * fields, the privileged readers the rest; keys, the participant itself and the operator.
 */
@Injectable()
export class ParticipantReadRules extends ReadRules implements EntityReadRules {
  readonly entityTypes = ['participant', 'apiKey'] as const;

  constructor(
    registry: ReadRulesRegistry,
    private readonly db: Db,
    private readonly participants: ParticipantsService,
    private readonly rows: ParticipantsRepository,
    private readonly keys: ApiKeysRepository,
    private readonly jurisdiction: Jurisdiction,
  ) {
    super(registry);
  }

  async readable(actor: Actor, entityType: 'participant' | 'apiKey', ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>> {
    if (entityType === 'apiKey') {
      return this.sift(await this.keys.owners(this.db.manager, ids), (k) => k.id, (k) => (this.participants.managesKeys(actor, k.participant_id) ? WHOLE : null));
    }
    const batch = this.jurisdiction.forBatch();
    const publicOnly = only(PUBLIC_PARTICIPANT_FIELDS);
    return this.sift(await this.rows.findMany(this.db.manager, ids), (p) => p.id, async (p) =>
      (await this.participants.canReadPrivate(actor, p, batch)) ? WHOLE : publicOnly);
  }

  /** A participant: everyone (its public fields). A key: its holder's. */
  async audience(entityType: 'participant' | 'apiKey', ids: readonly string[]): Promise<ReadonlyMap<string, readonly AudienceKey[]>> {
    if (entityType === 'participant') return new Map(ids.map((id) => [id, [EVERYONE]]));
    return new Map((await this.keys.owners(this.db.manager, ids)).map((k) => [k.id, audienceOf([k.participant_id])]));
  }

  /** A participant by its region; a key by its holder's. */
  async auditRegions(entityType: 'participant' | 'apiKey', ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    const owned = entityType === 'apiKey'
      ? (await this.keys.owners(this.db.manager, ids)).map((k) => ({ id: k.id, ownerId: k.participant_id }))
      : ids.map((id) => ({ id, ownerId: id }));
    const owners = await this.participants.findMany(this.db.manager, [...new Set(owned.map((o) => o.ownerId))]);
    return this.regionsBy(owned, (o) => o.id, (o) => [owners.get(o.ownerId)?.region_code]);
  }
}
