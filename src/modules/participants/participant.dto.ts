import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { ApiEnum, ApiRegionCode, ApiText, ApiTimestamp, ApiUuid, PageOf } from '../../common/openapi/view-props';
import { PageQuery } from '../../common/paging/paging';
import { EnumField, RegionCodeField, TextField } from '../../common/validation/fields';
import { PARTICIPANT_KINDS, ParticipantKind } from '../../core/participants/participant-kind';
import { USE_TYPES, UseType } from '../../core/water';

export class CreateParticipantDto {
  @TextField({ max: 200, example: '赤峰市水利局' })
  name: string;

  @EnumField(PARTICIPANT_KINDS, { example: 'REGULATOR', description: 'OPERATOR is refused (400): the service keeps exactly one' })
  kind: ParticipantKind;

  @RegionCodeField({ example: '150400', description: '6-digit administrative division code of an existing region' })
  regionCode: string;

  @TextField({ optional: true, max: 64, example: '91150400MA0N000000', description: '统一社会信用代码' })
  creditCode?: string;

  @EnumField(USE_TYPES, { optional: true, description: 'Defaults by kind; not allowed for REGULATOR, RESERVE, OPERATOR' })
  useType?: UseType;
}

export class ListParticipantsQuery extends PageQuery {
  @EnumField(PARTICIPANT_KINDS, { optional: true })
  kind?: ParticipantKind;

  @RegionCodeField({ optional: true })
  regionCode?: string;
}

export class ParticipantPublicView {
  @ApiUuid() id: string;
  @ApiText({ example: '赤峰市水利局' }) name: string;
  @ApiEnum(PARTICIPANT_KINDS) kind: ParticipantKind;
  @ApiRegionCode({ example: '150400' }) regionCode: string;
}

export class ParticipantView extends ParticipantPublicView {
  @ApiText({ nullable: true }) creditCode: string | null;
  @ApiEnum(USE_TYPES, { nullable: true }) useType: UseType | null;
  @ApiTimestamp() createdAt: string;
}

/** API keys are stored only hashed: a replayed key-issuing response carries none (API.md, Conventions). */
export class ApiKeyCreatedView {
  @ApiUuid() keyId: string;
  @ApiText({ nullable: true, description: 'Shown once; store it now. null in a replayed response (see apiKeyWithheld)', example: 'wrx_3q2...' })
  apiKey: string | null;
  @ApiPropertyOptional({ description: 'Present only in a replayed response: why apiKey is null' })
  apiKeyWithheld?: string;
}

export class CreatedParticipantView extends IntersectionType(ParticipantView, ApiKeyCreatedView) {}

export class ParticipantPage extends PageOf(ParticipantView) {}

export class ApiKeyView {
  @ApiUuid() keyId: string;
  @ApiTimestamp() createdAt: string;
  @ApiTimestamp({ nullable: true }) lastUsedAt: string | null;
  @ApiTimestamp({ nullable: true }) revokedAt: string | null;
}

export class ApiKeyPage extends PageOf(ApiKeyView) {}
