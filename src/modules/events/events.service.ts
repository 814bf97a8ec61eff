import { Injectable, OnModuleInit } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import type { AuditEntry } from '../../core/audit/hash-chain';
import { Db } from '../../database/db.service';
import { auditEntry } from '../audit/audit-views';
import { AuditRepository } from '../audit/audit.repository';
import { AuditLogRow, AuditRefRow } from '../audit/audit.rows';
import { AuditService } from '../audit/audit.service';
import { AudienceRepository } from './audience.repository';
import { indexReader } from './audience';
import { AuditSignal } from './audit-signal';
import { EventFeed, EventsQuery, EventView } from './event.dto';
import { ReadRulesRegistry } from './read-rules';

/**
 * Entries looked at per step while looking for what a caller may see. A step reads each
 * entry's seq and entity only, and the whole entries of those the caller may see.
 * Through the index, a step's entries are those filed under the caller's keys.
 */
const SCAN_BATCH = 2000;

/** An event as a reader sees it: the audit entry, its `after` as that reader may see it. */
export const eventView = (entry: AuditEntry, data: unknown): EventView => ({
  seq: entry.seq,
  at: entry.at,
  type: entry.action,
  entityType: entry.entityType,
  entityId: entry.entityId,
  data: (data ?? null) as Record<string, unknown> | null,
});

/**
 * The event feed (API.md, Events and webhooks): audit entries a reader may see, oldest
 * first, each filtered through the read rules of the entity it is about, as of now.
 */
@Injectable()
export class EventsService implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly entries: AuditRepository,
    private readonly rules: ReadRulesRegistry,
    private readonly signal: AuditSignal,
    private readonly index: AudienceRepository,
  ) {}

  onModuleInit(): void {
    // Waiters on every instance learn of new entries when their transaction commits.
    this.audit.onSealed(AuditSignal.notifyStep);
  }

  async feed(actor: Actor, q: EventsQuery, abort?: AbortSignal): Promise<EventFeed> {
    const deadline = Date.now() + q.wait * 1000;
    // Whatever committed before this request is chained, so the feed shows it.
    await this.audit.sealIfPending();
    if (q.wait > 0) await this.signal.start();
    let from = q.after;
    for (;;) {
      const { items, scannedTo } = await this.collect(actor, from, q.limit);
      const left = deadline - Date.now();
      if (items.length > 0 || left <= 0 || abort?.aborted) {
        return { items, lastSeq: items.length > 0 ? items[items.length - 1].seq : q.after, scannedTo };
      }
      // Nothing the caller may see up to `scannedTo`: wait for something newer, then look from there.
      from = scannedTo;
      await this.signal.waitForNewer(scannedTo, left, abort);
    }
  }

  /**
   * Up to `limit` events `actor` may see after `after`; `scannedTo` is the last seq looked
   * at. Up to where the index goes (decision 0037), only the entries filed under the
   * reader's keys are looked at; past it, the log batch by batch to its head if need be.
   */
  async collect(actor: Actor, after: number, limit: number): Promise<{ items: EventView[]; scannedTo: number }> {
    const items: EventView[] = [];
    let cursor = after;
    if (actor.kind !== 'OPERATOR') {
      const { indexedTo } = await this.index.progress(this.db.manager);
      const reader = indexReader(actor);
      while (cursor < indexedTo) {
        const refs = await this.index.candidates(this.db.manager, reader, cursor, indexedTo, SCAN_BATCH);
        await this.take(actor, refs, items, limit);
        if (items.length === limit) return { items, scannedTo: items[items.length - 1].seq };
        cursor = refs.length < SCAN_BATCH ? indexedTo : Number(refs[refs.length - 1].seq);
      }
    }
    const size = actor.kind === 'OPERATOR' ? limit : SCAN_BATCH;
    for (;;) {
      const refs = await this.entries.listRefs(this.db.manager, { afterSeq: cursor, limit: size });
      await this.take(actor, refs, items, limit);
      if (items.length === limit) return { items, scannedTo: items[items.length - 1].seq };
      if (refs.length > 0) cursor = Number(refs[refs.length - 1].seq);
      if (refs.length < size) return { items, scannedTo: cursor };
    }
  }

  /** Adds to `items`, up to `limit` in all, the entries of `refs` (oldest first) that `actor` may see, as it sees them. */
  private async take(actor: Actor, refs: readonly AuditRefRow[], items: EventView[], limit: number): Promise<void> {
    const seen = await this.rules.visibility(actor, refs.map((r) => ({ entityType: r.entity_type, entityId: r.entity_id })));
    const visible = new Map(refs.flatMap((r, i) => (seen[i] ? [[r.seq, seen[i]] as const] : [])).slice(0, limit - items.length));
    for (const row of visible.size > 0 ? await this.entries.bySeqs(this.db.manager, [...visible.keys()]) : []) {
      items.push(eventView(auditEntry(row), visible.get(row.seq)!(row.after)));
    }
  }

  /** Each entry as the event `actor` may see, or null when it may not read the entity. */
  async asSeenBy(actor: Actor, batch: readonly AuditLogRow[]): Promise<Array<EventView | null>> {
    const redactions = await this.rules.visibility(actor, batch.map((r) => ({ entityType: r.entity_type, entityId: r.entity_id })));
    return batch.map((row, i) => {
      const redaction = redactions[i];
      return redaction ? eventView(auditEntry(row), redaction(row.after)) : null;
    });
  }
}
