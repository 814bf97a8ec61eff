import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQuery } from '../../common/paging/paging';
import { PARTICIPANT_KINDS, ParticipantKind } from '../../core/participants/participant-kind';
import { USE_TYPES, UseType } from '../../core/water';

export class CreateParticipantDto {
  @ApiProperty({ example: '赤峰市水利局' })
  @IsString() @Length(1, 200)
  name: string;

  @ApiProperty({ enum: PARTICIPANT_KINDS, example: 'REGULATOR' })
  @IsIn(PARTICIPANT_KINDS)
  kind: ParticipantKind;

  @ApiProperty({ example: '150400', description: '6-digit administrative division code of an existing region' })
  @IsString() @Matches(/^\d{6}$/, { message: 'regionCode must be a 6-digit region code' })
  regionCode: string;

  @ApiPropertyOptional({ example: '91150400MA0N000000', description: '统一社会信用代码' })
  @IsOptional() @IsString() @Length(1, 64)
  creditCode?: string;

  @ApiPropertyOptional({ enum: USE_TYPES, description: 'Defaults by kind; not allowed for REGULATOR, RESERVE, OPERATOR' })
  @IsOptional() @IsIn(USE_TYPES)
  useType?: UseType;
}

export class ListParticipantsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PARTICIPANT_KINDS })
  @IsOptional() @IsIn(PARTICIPANT_KINDS)
  kind?: ParticipantKind;

  @ApiPropertyOptional({ example: '150421' })
  @IsOptional() @IsString() @Matches(/^\d{6}$/, { message: 'regionCode must be a 6-digit region code' })
  regionCode?: string;
}

export class ParticipantPublicView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '赤峰市水利局' }) name: string;
  @ApiProperty({ enum: PARTICIPANT_KINDS }) kind: ParticipantKind;
  @ApiProperty({ example: '150400' }) regionCode: string;
}

export class ParticipantView extends ParticipantPublicView {
  @ApiProperty({ nullable: true, type: String }) creditCode: string | null;
  @ApiProperty({ nullable: true, enum: USE_TYPES }) useType: UseType | null;
  @ApiProperty() createdAt: string;
}

export class CreatedParticipantView extends ParticipantView {
  @ApiProperty({ format: 'uuid' }) keyId: string;
  @ApiProperty({ description: 'Shown once; store it now', example: 'wrx_3q2...' }) apiKey: string;
}

export class ParticipantPage {
  @ApiProperty({ type: [ParticipantView] }) items: ParticipantView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class ApiKeyCreatedView {
  @ApiProperty({ format: 'uuid' }) keyId: string;
  @ApiProperty({ description: 'Shown once; store it now' }) apiKey: string;
}

export class ApiKeyView {
  @ApiProperty({ format: 'uuid' }) keyId: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
}

export class ApiKeyPage {
  @ApiProperty({ type: [ApiKeyView] }) items: ApiKeyView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
