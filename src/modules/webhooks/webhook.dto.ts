import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiEnum, ApiInt, ApiText, ApiTimestamp, ApiUuid, PageOf } from '../../common/openapi/view-props';
import { EnumListField, TextField } from '../../common/validation/fields';
import { AUDIT_ACTIONS } from '../../core/audit/actions';
import { WEBHOOK_STATUSES } from '../../core/webhooks/webhook-status';

export class CreateWebhookDto {
  @TextField({
    max: 2048,
    example: 'https://hooks.example.org/water',
    description: 'http or https; unless WEBHOOK_ALLOW_PRIVATE=true, a host resolving to a loopback, private, link-local, CGNAT, unique-local, multicast, unspecified or IPv4-mapped address is refused',
  })
  url: string;

  @EnumListField(AUDIT_ACTIONS, { optional: true, nonEmpty: true, example: ['trade.settled', 'statement.certified'], description: 'Event types to deliver; every type when omitted' })
  types?: string[];
}

export class WebhookView {
  @ApiUuid() id: string;
  @ApiText({ example: 'https://hooks.example.org/water' }) url: string;
  @ApiProperty({ type: 'array', items: { type: 'string', enum: [...AUDIT_ACTIONS] }, nullable: true, description: 'null: every type' }) types: string[] | null;
  @ApiEnum(WEBHOOK_STATUSES, { description: 'DISABLED after 24 h of failed deliveries; DELETED by its owner' }) status: string;
  @ApiTimestamp() createdAt: string;
}

/** The secret is shown in this response only; a replay carries null (API.md, Conventions). */
export class CreatedWebhookView extends WebhookView {
  @ApiText({ nullable: true, example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'whsec_ + base64 of 32 random bytes: the Standard Webhooks signing secret. Shown once; null in a replayed response (see secretWithheld)' })
  secret: string | null;
  @ApiPropertyOptional({ description: 'Present only in a replayed response: why secret is null' })
  secretWithheld?: string;
}

export class WebhookPage extends PageOf(WebhookView) {}

export class DeliveryView {
  @ApiInt({ example: 42, description: 'the event\'s seq' }) eventSeq: number;
  @ApiInt({ example: 1, description: '1 for the first attempt at this event' }) attempt: number;
  @ApiInt({ nullable: true, example: 200, description: 'the HTTP status received; null when none was' }) status: number | null;
  @ApiTimestamp() at: string;
  @ApiText({ nullable: true, example: 'HTTP 503', description: 'what went wrong; null on a 2xx' }) error: string | null;
}

export class DeliveryPage extends PageOf(DeliveryView) {}

