import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

export const GENESIS_HASH = '0'.repeat(64);

/** An audit entry as hashed: every public field except `hash` itself. */
export interface AuditEntryBody {
  seq: number;
  at: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
  prevHash: string;
}

export interface AuditEntry extends AuditEntryBody {
  hash: string;
}

/** hash = hex(sha256(prevHash ‖ canonical JSON of the entry without hash)). */
export function entryHash(entry: AuditEntryBody): string {
  // A sealed entry may be passed back in; its own hash is never part of what is hashed.
  const { hash: _ignored, ...body } = entry as AuditEntry;
  return createHash('sha256').update(body.prevHash).update(canonicalJson(body)).digest('hex');
}

export function sealEntry(body: AuditEntryBody): AuditEntry {
  return { ...body, hash: entryHash(body) };
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * Walks entries in seq order. Keeps state between batches so a long log can be
 * verified without loading it whole.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private count = 0;
  firstInvalidSeq: number | null = null;

  push(entry: AuditEntry): void {
    this.count++;
    if (this.firstInvalidSeq !== null) return;
    const ok = entry.seq === this.expectedSeq && entry.prevHash === this.prevHash && entryHash(entry) === entry.hash;
    if (!ok) {
      // A gap (deleted row) is reported at the first missing seq.
      this.firstInvalidSeq = Math.min(entry.seq, this.expectedSeq);
      return;
    }
    this.expectedSeq++;
    this.prevHash = entry.hash;
  }

  /** The head recorded beside the chain catches a deleted or replaced newest entry. */
  finish(head: ChainHead): { valid: boolean; entries: number; head: string; firstInvalidSeq: number | null } {
    const lastSeq = this.expectedSeq - 1;
    if (this.firstInvalidSeq === null) {
      if (lastSeq > head.seq) this.firstInvalidSeq = head.seq + 1; // rows past the recorded head
      else if (lastSeq < head.seq) this.firstInvalidSeq = this.expectedSeq; // newest rows deleted
      else if (head.hash !== this.prevHash) this.firstInvalidSeq = Math.max(lastSeq, 1);
    }
    return {
      valid: this.firstInvalidSeq === null,
      entries: this.count,
      head: head.hash,
      firstInvalidSeq: this.firstInvalidSeq,
    };
  }
}
