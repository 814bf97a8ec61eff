import { CommittedFields, bidCommitment } from './commitment';

/**
 * Anyone who reads the audit log can check a close: every bid it publishes must hash to
 * the commitment that the bid's own entries (`bid.placed`, `bid.withdrawn`, and the
 * `regionalInterest` ones) carried before the close, and every committed bid must be
 * published. This is that check, over plain data taken from the log.
 */

/** A bid as the close's audit entry publishes it (`after.bids[]`). */
export interface PublishedBid extends CommittedFields {
  id: string;
  status?: string;
}

/** The `after` of a bid's audit entry written before the close: `{ id, commitment }`. */
export interface CommitmentEntry {
  id: string;
  commitment: string;
}

export type CommitmentVerdict =
  /** The published fields hash to every commitment recorded for the bid. */
  | 'MATCHES'
  /** Some recorded commitment differs: a field was changed after the fact. */
  | 'MISMATCH'
  /** Published, but no commitment was recorded for it before the close. */
  | 'NOT_COMMITTED'
  /** Committed before the close, but the close did not publish it. */
  | 'NOT_PUBLISHED';

export interface CommitmentReport {
  valid: boolean;
  /** One line per bid id, published bids first in their published order, then unpublished ones. */
  bids: Array<{ id: string; verdict: CommitmentVerdict }>;
}

export function verifyCommitments(published: readonly PublishedBid[], entries: readonly CommitmentEntry[]): CommitmentReport {
  const committed = new Map<string, string[]>();
  for (const entry of entries) committed.set(entry.id, [...(committed.get(entry.id) ?? []), entry.commitment]);
  const seen = new Set<string>();
  const bids: CommitmentReport['bids'] = published.map((bid) => {
    seen.add(bid.id);
    return { id: bid.id, verdict: judge(bid, committed.get(bid.id)) };
  });
  for (const id of committed.keys()) if (!seen.has(id)) bids.push({ id, verdict: 'NOT_PUBLISHED' });
  return { valid: bids.every((b) => b.verdict === 'MATCHES'), bids };
}

function judge(bid: PublishedBid, commitments: string[] | undefined): CommitmentVerdict {
  if (commitments === undefined) return 'NOT_COMMITTED';
  const hash = bidCommitment(bid);
  return commitments.every((c) => c === hash) ? 'MATCHES' : 'MISMATCH';
}
