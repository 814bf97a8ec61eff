import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor } from '../../common/auth/actor';
import { Jurisdiction } from '../../common/auth/jurisdiction.service';
import { hashApiKey, newApiKey } from '../../common/auth/api-key-secret';
import { DomainError } from '../../common/errors/domain-error';
import { decodeCursor, Page, PageQuery, pageOf } from '../../common/paging/paging';
import { resolveUseType } from '../../core/participants/use-type';
import { Db, Tx } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { RegionTree } from '../regions/region-tree';
import { ApiKeysService } from './api-keys.service';
import { CreateParticipantDto, ListParticipantsQuery } from './participant.dto';

export interface ParticipantRow {
  id: string;
  name: string;
  kind: string;
  region_code: string;
  credit_code: string | null;
  use_type: string | null;
  created_at: Date;
}

export const participantView = (p: ParticipantRow) => ({
  id: p.id,
  name: p.name,
  kind: p.kind,
  regionCode: p.region_code,
  creditCode: p.credit_code,
  useType: p.use_type,
  createdAt: new Date(p.created_at).toISOString(),
});

const publicView = (p: ParticipantRow) => ({ id: p.id, name: p.name, kind: p.kind, regionCode: p.region_code });

/** Where the operator sits when the service first starts: the national root region. */
export const NATIONAL_REGION = { code: '100000', name: '中华人民共和国' };

@Injectable()
export class ParticipantsService {
  private readonly logger = new Logger('Participants');

  constructor(
    private readonly db: Db,
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
      const [region] = await tx.query('SELECT code FROM regions WHERE code = $1', [dto.regionCode]);
      if (!region) throw DomainError.validation([{ field: 'regionCode', message: `region ${dto.regionCode} does not exist` }]);
      const [row] = await tx.query(
        `INSERT INTO participants (id, name, kind, region_code, credit_code, use_type)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [randomUUID(), dto.name, dto.kind, dto.regionCode, dto.creditCode ?? null, use.useType],
      );
      const view = participantView(row);
      await this.audit.append(tx, actor.participantId, 'participant.created', 'participant', row.id, null, view);
      const key = await this.keys.issue(tx, row.id, actor.participantId);
      return { ...view, ...key };
    });
  }

  async findRow(id: string, tx: Tx = this.db.manager): Promise<ParticipantRow | null> {
    const [row] = await tx.query('SELECT * FROM participants WHERE id = $1', [id]);
    return row ?? null;
  }

  async mustFind(id: string, tx?: Tx): Promise<ParticipantRow> {
    const row = await this.findRow(id, tx);
    if (!row) throw DomainError.notFound(`Participant ${id}`);
    return row;
  }

  /** The participant itself, the operator and regulators over its region read everything. */
  async canReadPrivate(actor: Actor, p: ParticipantRow): Promise<boolean> {
    if (actor.participantId === p.id || actor.kind === 'OPERATOR') return true;
    return this.jurisdiction.covers(actor, p.region_code);
  }

  async get(actor: Actor, id: string) {
    const row = await this.mustFind(id);
    return (await this.canReadPrivate(actor, row)) ? participantView(row) : publicView(row);
  }

  async me(actor: Actor) {
    return participantView(await this.mustFind(actor.participantId));
  }

  async list(actor: Actor, q: ListParticipantsQuery): Promise<Page<ReturnType<typeof participantView>>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace(/\?/g, `$${params.length}`));
    };
    if (actor.kind === 'REGULATOR') add('region_code = ANY(?)', await this.tree.subtree(actor.regionCode));
    if (q.kind) add('kind = ?', q.kind);
    if (q.regionCode) add('region_code = ?', q.regionCode);
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']);
    if (after) {
      params.push(after[0], after[1]);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(q.limit + 1);
    const rows = await this.db.query(
      `SELECT *, created_at::text AS cursor_at FROM participants ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
       ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return pageOf(rows, q.limit, participantView, (r: any) => [r.cursor_at, r.id]);
  }

  /** API keys are managed by the operator or by the participant itself. */
  async assertManagesKeys(actor: Actor, participantId: string): Promise<void> {
    await this.mustFind(participantId);
    if (actor.kind !== 'OPERATOR' && actor.participantId !== participantId) {
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
      await tx.query('SELECT pg_advisory_xact_lock(7301001)');
      let [operator] = await tx.query(`SELECT * FROM participants WHERE kind = 'OPERATOR'`);
      if (!operator) {
        await tx.query(
          `INSERT INTO regions (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING`,
          [NATIONAL_REGION.code, NATIONAL_REGION.name],
        );
        [operator] = await tx.query(
          `INSERT INTO participants (id, name, kind, region_code) VALUES ($1, $2, 'OPERATOR', $3) RETURNING *`,
          [randomUUID(), 'Exchange operator', NATIONAL_REGION.code],
        );
        await this.audit.append(tx, null, 'participant.created', 'participant', operator.id, null, participantView(operator));
      }
      if (adminApiKey) {
        const hash = hashApiKey(adminApiKey);
        const [known] = await tx.query('SELECT id, participant_id, revoked_at FROM api_keys WHERE key_hash = $1', [hash]);
        if (known && known.participant_id === operator.id && !known.revoked_at) return { generatedKey: null };
        // A revoked key stays revoked: reinstating it from the environment would undo the revocation.
        if (known) throw new Error('ADMIN_API_KEY names a key that was revoked or belongs to another participant; configure a new key');
        const stale = await tx.query(`SELECT id FROM api_keys WHERE participant_id = $1 AND from_env AND revoked_at IS NULL`, [operator.id]);
        for (const k of stale) await this.keys.revoke(tx, operator.id, k.id, operator.id);
        await this.keys.issue(tx, operator.id, null, adminApiKey);
        return { generatedKey: null };
      }
      const [anyKey] = await tx.query('SELECT id FROM api_keys WHERE participant_id = $1 AND revoked_at IS NULL LIMIT 1', [operator.id]);
      if (anyKey) return { generatedKey: null };
      const generated = newApiKey();
      await this.keys.issue(tx, operator.id, null, generated);
      this.logger.log('Generated an operator API key (ADMIN_API_KEY was not set)');
      return { generatedKey: generated };
    });
  }
}
