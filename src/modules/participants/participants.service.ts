import { Injectable, Logger } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { hashApiKey, newApiKey } from '../../common/auth/api-key-secret';
import { DomainError } from '../../common/errors/domain-error';
import { newId } from '../../common/ids';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import type { PageQuery } from '../../common/paging/paging';
import { resolveUseType } from '../../core/participants/use-type';
import { Db, Tx } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { Jurisdiction } from '../regions/jurisdiction.service';
import { RegionTree } from '../regions/region-tree';
import { RegionsRepository } from '../regions/regions.repository';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { CreateParticipantDto, ListParticipantsQuery, ParticipantView } from './participant.dto';
import { participantView, publicView } from './participant-views';
import { ParticipantsRepository } from './participants.repository';
import { ParticipantRow } from './participants.rows';
import { NATIONAL_REGION } from '../../core/regions/region-code';
import { StartRefused } from '../../config/start-refused';

/** Where the operator sits when the service first starts: the national root region. */

/** Participant rows kept by rowsById: about 1 kB each. */
const KNOWN_PARTICIPANTS = 10_000;

@Injectable()
export class ParticipantsService {
  private readonly logger = new Logger('Participants');
  /** Participant rows by id, oldest first; the database refuses any update of a participant row (see rowsById). */
  private readonly known = new Map<string, ParticipantRow>();

  constructor(
    private readonly db: Db,
    private readonly participants: ParticipantsRepository,
    private readonly keyRows: ApiKeysRepository,
    private readonly regions: RegionsRepository,
    private readonly audit: AuditService,
    private readonly keys: ApiKeysService,
    private readonly jurisdiction: Jurisdiction,
    private readonly tree: RegionTree,
  ) {}

  async create(actor: Actor, dto: CreateParticipantDto) {
    if (dto.kind === 'OPERATOR') throw DomainError.validation([{ field: 'kind', message: 'the service keeps exactly one OPERATOR' }]);
    const use = resolveUseType(dto.kind, dto.useType);
    if (!use.ok) throw DomainError.validation([{ field: 'useType', message: use.message }]);
    return this.db.transaction(async (tx) => {
      if (!(await this.regions.find(tx, dto.regionCode))) {
        throw DomainError.validation([{ field: 'regionCode', message: `region ${dto.regionCode} does not exist` }]);
      }
      const row = await this.participants.insert(tx, {
        id: newId(), name: dto.name, kind: dto.kind, region_code: dto.regionCode, credit_code: dto.creditCode ?? null, use_type: use.useType,
      });
      const view = participantView(row);
      await this.audit.append(tx, actor.participantId, 'participant.created', 'participant', row.id, null, view);
      const key = await this.keys.issue(tx, row.id, actor.participantId);
      return { ...view, ...key };
    });
  }

  async findRow(id: string, tx: Tx = this.db.manager): Promise<ParticipantRow | null> {
    return this.participants.find(tx, id);
  }

  async mustFind(id: string, tx?: Tx): Promise<ParticipantRow> {
    const row = await this.findRow(id, tx);
    if (!row) throw DomainError.notFound(`Participant ${id}`);
    return row;
  }

  /** The participants among `ids` that exist, by id. */
  async findMany(tx: Tx, ids: readonly string[]): Promise<Map<string, ParticipantRow>> {
    return new Map((await this.participants.findMany(tx, ids)).map((p) => [p.id, p]));
  }

  /**
   * The rows of several participants, by id; throws if one is missing (the callers hold their
   * ids from rows that reference them). A participant row never changes once written (a
   * trigger refuses any update: migration ParticipantsImmutable), so the rows are kept for
   * the life of the instance: every fill checks both parties, and this spares that read on
   * the trade path.
   */
  async rowsById(tx: Tx, ids: readonly string[]): Promise<Map<string, ParticipantRow>> {
    const missing = ids.filter((id) => !this.known.has(id));
    if (missing.length > 0) {
      for (const [id, row] of await this.findMany(tx, missing)) {
        if (this.known.size >= KNOWN_PARTICIPANTS) this.known.delete(this.known.keys().next().value!);
        this.known.set(id, row);
      }
    }
    const found = new Map<string, ParticipantRow>();
    for (const id of ids) {
      const row = this.known.get(id);
      if (!row) throw new Error(`participant ${id} does not exist`);
      found.set(id, row);
    }
    return found;
  }

  /** The single operator, which earns the fees. */
  async operator(tx: Tx = this.db.manager): Promise<ParticipantRow> {
    const row = await this.participants.operator(tx);
    if (!row) throw new Error('the operator does not exist yet; the service creates it at start');
    return row;
  }

  /**
   * The participant itself, the operator and regulators over its region read everything
   * (`jurisdiction`: a batch's, when many are checked at once).
   */
  async canReadPrivate(actor: Actor, p: ParticipantRow, jurisdiction: Jurisdiction = this.jurisdiction): Promise<boolean> {
    if (actor.participantId === p.id || actor.kind === 'OPERATOR') return true;
    return jurisdiction.covers(actor, p.region_code);
  }

  /** The participant as an actor: whose read rules a webhook's deliveries follow. */
  async asActor(id: string, tx?: Tx): Promise<Actor | null> {
    const p = await this.findRow(id, tx);
    return p && { participantId: p.id, kind: p.kind, regionCode: p.region_code, useType: p.use_type, keyId: '' };
  }

  async get(actor: Actor, id: string) {
    const row = await this.mustFind(id);
    return (await this.canReadPrivate(actor, row)) ? participantView(row) : publicView(row);
  }

  async me(actor: Actor) {
    return participantView(await this.mustFind(actor.participantId));
  }

  async list(actor: Actor, q: ListParticipantsQuery): Promise<Page<ParticipantView>> {
    const rows = await this.participants.list(this.db.manager, {
      regionCodes: actor.kind === 'REGULATOR' ? await this.tree.subtree(actor.regionCode) : undefined,
      kind: q.kind,
      regionCode: q.regionCode,
      before: decodeCursor(q.cursor, ['timestamp', 'uuid']) ?? undefined,
      limit: q.limit + 1,
    });
    return pageOf(rows, q.limit, participantView, (r) => [r.cursor_at, r.id]);
  }

  /** API keys are managed, and read, by the operator or by the participant itself. */
  managesKeys(actor: Actor, participantId: string): boolean {
    return actor.kind === 'OPERATOR' || actor.participantId === participantId;
  }

  async assertManagesKeys(actor: Actor, participantId: string): Promise<void> {
    await this.mustFind(participantId);
    if (!this.managesKeys(actor, participantId)) {
      throw DomainError.forbidden('Only the participant itself or the operator manages its API keys');
    }
  }

  async issueKey(actor: Actor, participantId: string) {
    await this.assertManagesKeys(actor, participantId);
    return this.db.transaction((tx) => this.keys.issue(tx, participantId, actor.participantId));
  }

  async listKeys(actor: Actor, participantId: string, q: PageQuery) {
    await this.assertManagesKeys(actor, participantId);
    return this.keys.list(participantId, q);
  }

  async revokeKey(actor: Actor, participantId: string, keyId: string) {
    await this.assertManagesKeys(actor, participantId);
    const view = await this.db.transaction((tx) => this.keys.revoke(tx, participantId, keyId, actor.participantId));
    if (!view) throw DomainError.notFound(`API key ${keyId}`);
    return view;
  }

  /**
   * First start creates the single operator (and the national root region it sits in).
   * ADMIN_API_KEY, when set, is bound to it; when unset, a key is generated once and
   * returned so the caller can print it.
   */
  async bootstrapOperator(adminApiKey: string | undefined): Promise<{ generatedKey: string | null }> {
    return this.db.rootTransaction(async (tx) => {
      // Lock order, rank 1: the bootstrap's advisory lock.
      await this.participants.lockBootstrap(tx);
      const operator = (await this.participants.operator(tx)) ?? (await this.createOperator(tx));
      if (adminApiKey) {
        const known = await this.keyRows.findByHash(tx, hashApiKey(adminApiKey));
        if (known && known.participant_id === operator.id && !known.revoked_at) return { generatedKey: null };
        // A revoked key stays revoked: reinstating it from the environment would undo the revocation.
        if (known) throw new StartRefused('ADMIN_API_KEY names a key that was revoked or belongs to another participant; configure a new key');
        // The system replaces the key, not the operator: both entries carry actor null, as the new key's always did.
        const stale = await this.keyRows.active(tx, operator.id, true);
        for (const key of stale) await this.keys.revoke(tx, operator.id, key.id, null);
        await this.keys.issue(tx, operator.id, null, adminApiKey);
        if (stale.length > 0) this.logger.log(`ADMIN_API_KEY is a new key: the operator's previous key from the environment is revoked (${stale.map((k) => k.id).join(', ')})`);
        return { generatedKey: null };
      }
      if ((await this.keyRows.active(tx, operator.id, false)).length > 0) return { generatedKey: null };
      const generated = newApiKey();
      await this.keys.issue(tx, operator.id, null, generated);
      this.logger.log('Generated an operator API key (ADMIN_API_KEY was not set)');
      return { generatedKey: generated };
    });
  }

  private async createOperator(tx: Tx): Promise<ParticipantRow> {
    await this.regions.ensure(tx, NATIONAL_REGION.code, NATIONAL_REGION.name);
    const operator = await this.participants.insert(tx, {
      id: newId(), name: 'Exchange operator', kind: 'OPERATOR', region_code: NATIONAL_REGION.code, credit_code: null, use_type: null,
    });
    await this.audit.append(tx, null, 'participant.created', 'participant', operator.id, null, participantView(operator));
    return operator;
  }
}
