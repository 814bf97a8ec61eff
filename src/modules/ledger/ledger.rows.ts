import type { Bucket, HoldStatus, Reason, RefType, SystemAccount } from '../../core/ledger/ledger.types';

/** A row of `ledger_accounts`: one owner's (or system book's) bucket of one asset. */
export interface LedgerAccountRow {
  id: string;
  owner_id: string | null;
  system_name: SystemAccount | null;
  asset: string;
  bucket: Bucket;
  balance: string;
}

/** A row of `ledger_holds`: the pending half of a two-phase transfer. */
export interface HoldRow {
  id: string;
  owner_id: string;
  asset: string;
  amount: string;
  remaining: string;
  status: HoldStatus;
  ref_type: RefType;
  ref_id: string;
  parent_hold_id: string | null;
  created_at: Date;
}

/** A row of `ledger_postings` (immutable by trigger). */
export interface LedgerPostingRow {
  seq: string;
  id: string;
  movement_id: string;
  account_id: string;
  asset: string;
  delta: string;
  balance_after: string;
  reason: Reason;
  ref_type: RefType;
  ref_id: string;
  hold_id: string | null;
  created_at: Date;
}

/** A posting with the bucket of its account: a line of a participant's ledger. */
export type LedgerEntryRow = LedgerPostingRow & Pick<LedgerAccountRow, 'bucket'>;

/** A row of `deposits`: cash the settlement bank received for a participant. */
export interface DepositRow {
  id: string;
  participant_id: string;
  amount: string;
  reference: string;
  created_by: string;
  created_at: Date;
}

/** A row of `withdrawals`. */
export interface WithdrawalRow {
  id: string;
  participant_id: string;
  amount: string;
  created_at: Date;
}
