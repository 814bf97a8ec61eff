import { ApiKeyView, ParticipantPublicView, ParticipantView } from './participant.dto';
import { ApiKeyRow, ParticipantRow } from './participants.rows';

const isoOrNull = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

export const participantView = (p: ParticipantRow): ParticipantView => ({
  id: p.id,
  name: p.name,
  kind: p.kind,
  regionCode: p.region_code,
  creditCode: p.credit_code,
  useType: p.use_type,
  createdAt: new Date(p.created_at).toISOString(),
});

/** What anyone may see of a participant (its GET, and its events). */
export const PUBLIC_PARTICIPANT_FIELDS = ['id', 'name', 'kind', 'regionCode'] as const satisfies ReadonlyArray<keyof ParticipantPublicView>;

export const publicView = (p: ParticipantRow): ParticipantPublicView => ({ id: p.id, name: p.name, kind: p.kind, regionCode: p.region_code });

export const apiKeyView = (row: ApiKeyRow): ApiKeyView => ({
  keyId: row.id,
  createdAt: new Date(row.created_at).toISOString(),
  lastUsedAt: isoOrNull(row.last_used_at),
  revokedAt: isoOrNull(row.revoked_at),
});
