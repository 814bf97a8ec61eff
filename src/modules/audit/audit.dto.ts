import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/paging/paging';
import { ENTITY_TYPES } from '../../core/audit/entity-types';

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ENTITY_TYPES }) @IsOptional() @IsIn(ENTITY_TYPES) entityType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) entityId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') actorId?: string;
  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z', description: 'inclusive' })
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ example: '2026-12-31T00:00:00Z', description: 'exclusive' })
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class AuditEntryView {
  @ApiProperty({ example: 42 }) seq: number;
  @ApiProperty() at: string;
  @ApiProperty({ nullable: true, type: String, description: 'null for the system (expiry, filing, auto-approval)' }) actorId: string | null;
  @ApiProperty({ example: 'cap.set' }) action: string;
  @ApiProperty({ enum: ENTITY_TYPES }) entityType: string;
  @ApiProperty({ example: '150400-2025' }) entityId: string;
  @ApiProperty({ nullable: true, type: Object }) before: unknown;
  @ApiProperty({ nullable: true, type: Object }) after: unknown;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty({ example: '0'.repeat(64) }) prevHash: string;
  @ApiProperty({ description: 'hex(sha256(prevHash ‖ RFC 8785 canonical JSON of the entry without hash))' }) hash: string;
}

export class AuditPage {
  @ApiProperty({ type: [AuditEntryView] }) items: AuditEntryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class AuditVerifyView {
  @ApiProperty() valid: boolean;
  @ApiProperty({ example: 1234 }) entries: number;
  @ApiProperty({ description: 'hash of the newest entry as recorded by the service' }) head: string;
  @ApiProperty({ nullable: true, type: Number }) firstInvalidSeq: number | null;
}
