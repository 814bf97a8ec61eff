import { ApiInt, ApiBool, ApiEnum, ApiJsonObject, ApiText, ApiTimestamp, ApiUuid, PageOf } from '../../common/openapi/view-props';
import { PageQuery } from '../../common/paging/paging';
import { DateTimeField, EnumField, TextField, UuidField } from '../../common/validation/fields';

import { ENTITY_TYPES } from '../../core/audit/entity-types';

const HASH = { example: '0'.repeat(64) };

export class AuditQuery extends PageQuery {
  @EnumField(ENTITY_TYPES, { optional: true }) entityType?: string;
  @TextField({ optional: true, max: 200 }) entityId?: string;
  @UuidField({ optional: true }) actorId?: string;
  @DateTimeField({ optional: true, example: '2026-01-01T00:00:00Z', description: 'inclusive' }) from?: string;
  @DateTimeField({ optional: true, example: '2026-12-31T00:00:00Z', description: 'exclusive' }) to?: string;
}

export class AuditEntryView {
  @ApiInt({ example: 42 }) seq: number;
  @ApiTimestamp() at: string;
  @ApiUuid({ nullable: true, description: 'null for the system (expiry, filing, auto-approval)' }) actorId: string | null;
  @ApiText({ example: 'cap.set' }) action: string;
  @ApiEnum(ENTITY_TYPES) entityType: string;
  @ApiText({ example: '150400-2025' }) entityId: string;
  @ApiJsonObject({ nullable: true, description: 'the entity before the change (null when it was created)' }) before: Record<string, unknown> | null;
  @ApiJsonObject({ nullable: true, description: 'the entity after the change' }) after: Record<string, unknown> | null;
  @ApiText({ nullable: true }) requestId: string | null;
  @ApiText({ ...HASH, description: 'hash of the previous entry; 64 zeros for the first' }) prevHash: string;
  @ApiText({ ...HASH, description: 'hex(sha256(prevHash ‖ RFC 8785 canonical JSON of the entry without hash))' }) hash: string;
}

export class AuditPage extends PageOf(AuditEntryView) {}

export class AuditVerifyView {
  @ApiBool() valid: boolean;
  @ApiInt({ example: 1234 }) entries: number;
  @ApiText({ ...HASH, description: 'hash of the newest entry as recorded by the service' }) head: string;
  @ApiInt({ nullable: true }) firstInvalidSeq: number | null;
}
