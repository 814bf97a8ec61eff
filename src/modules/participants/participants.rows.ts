import type { ParticipantKind } from '../../core/participants/participant-kind';
import type { UseType } from '../../core/water';

/** A row of `participants`. */
export interface ParticipantRow {
  id: string;
  name: string;
  kind: ParticipantKind;
  region_code: string;
  credit_code: string | null;
  use_type: UseType | null;
  created_at: Date;
}

/** A row of `api_keys`: only the SHA-256 of the secret is stored. */
export interface ApiKeyRow {
  id: string;
  participant_id: string;
  key_hash: string;
  /** The operator key that mirrors ADMIN_API_KEY; replaced when that variable changes. */
  from_env: boolean;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** An active key with what authentication needs of its participant. */
export interface KeyHolderRow {
  id: string;
  participant_id: string;
  last_used_at: Date | null;
  kind: ParticipantKind;
  region_code: string;
  use_type: UseType | null;
}
