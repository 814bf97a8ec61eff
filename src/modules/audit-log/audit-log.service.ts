import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { encodeCursor, Page, pageOf } from '../../common/paging/cursor';
import { AppConfig } from '../../config/app-config';
import type { AuditEntry } from '../../core/audit/hash-chain';
import { Db } from '../../database/db.service';
import type { AuditQuery } from '../audit/audit.dto';
import { auditEntry } from '../audit/audit-views';
import { AuditRepository } from '../audit/audit.repository';
import { AuditRefRow } from '../audit/audit.rows';
import { afterCursor, auditFilter, AuditService } from '../audit/audit.service';
import { ReadRulesRegistry } from '../events/read-rules';
import { Jurisdiction } from '../regions/jurisdiction.service';

/** Entries looked at per step while looking for those a regulator may see (seq and entity; whole only those it may see). */
const SCAN_BATCH = 500;

/**
 * GET /v1/audit (API.md, Audit log): the operator reads every entry; a regulator reads the
 * entries about objects that belong to a region in its jurisdiction, where each module
 * says where its entities belong (`auditRegions` of its read rules), and sees them less
 * what the entity's GET withholds from it (a BUY tender's limit price and lock).
 */
@Injectable()
export class AuditLogService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly entries: AuditRepository,
    private readonly rules: ReadRulesRegistry,
    private readonly jurisdiction: Jurisdiction,
    private readonly config: AppConfig,
  ) {}

  /**
   * A regulator's entries are found by scanning the log in seq order. A county on a busy
   * exchange may see few of them, so one request examines at most `AUDIT_SCAN_LIMIT`
   * entries: when that is spent before the page is full, the page comes back short with a
   * cursor after the last entry examined, and the client goes on as with any page (API.md,
   * Lists). No request's time grows with the size of the log.
   */
  async list(actor: Actor, q: AuditQuery): Promise<Page<AuditEntry>> {
    // As the price index answers a range that ends before it starts: a mistaken query, not an empty log.
    if (q.from && q.to && new Date(q.to) < new Date(q.from)) throw DomainError.validation([{ field: 'to', message: 'must not be before from' }]);
    if (actor.kind === 'OPERATOR') return this.audit.list(q);
    await this.audit.sealIfPending();
    const found: AuditEntry[] = [];
    const batchSize = Math.min(SCAN_BATCH, this.config.auditScanLimit);
    let afterSeq = afterCursor(q);
    let examined = 0;
    // One more than a page says whether another page exists, as for every list.
    while (found.length <= q.limit) {
      const batch = await this.entries.listRefs(this.db.manager, auditFilter(q, afterSeq, batchSize));
      found.push(...(await this.asSeenBy(actor, batch, q.limit + 1 - found.length)));
      if (batch.length < batchSize) break;
      afterSeq = Number(batch[batch.length - 1].seq);
      examined += batch.length;
      if (examined >= this.config.auditScanLimit && found.length <= q.limit) return { items: found, nextCursor: encodeCursor([afterSeq]) };
    }
    return pageOf(found.slice(0, q.limit + 1), q.limit, (e) => e, (e) => [e.seq]);
  }

  /**
   * The first `upTo` entries of `batch` the regulator may see, each as it may see it. The
   * scan reads seqs and entities; only these entries are read whole.
   */
  private async asSeenBy(actor: Actor, batch: readonly AuditRefRow[], upTo: number): Promise<AuditEntry[]> {
    const refs = batch.map((r) => ({ entityType: r.entity_type, entityId: r.entity_id }));
    const regions = await this.rules.auditRegions(refs);
    const chains = this.jurisdiction.forBatch();
    const inJurisdiction = await Promise.all(regions.map(async (codes) => {
      for (const code of codes) if (await chains.covers(actor, code)) return true;
      return false;
    }));
    const seqs = batch.filter((_, i) => inJurisdiction[i]).slice(0, upTo).map((r) => r.seq);
    const visible = seqs.length > 0 ? await this.entries.bySeqs(this.db.manager, seqs) : [];
    const redactions = await this.rules.auditRedactions(actor, visible.map((r) => ({ entityType: r.entity_type, entityId: r.entity_id })));
    // The hash covers the entry as written; a redacted entry is shown as it is, less what is withheld.
    return visible.map((row, i) => ({ ...auditEntry(row), before: redactions[i](row.before), after: redactions[i](row.after) }));
  }
}
