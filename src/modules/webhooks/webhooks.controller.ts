import { Body, Controller, Delete, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { TAGS } from '../../common/openapi/tags';
import { PageQuery } from '../../common/paging/paging';
import { NoBody } from '../../common/validation/no-body.decorator';
import { QueryParams } from '../../common/validation/query-params';
import { UuidParam } from '../../common/validation/uuid-param.pipe';
import { CreatedWebhookView, CreateWebhookDto, DeliveryPage, WebhookPage, WebhookView } from './webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags(TAGS.events.name)
@ApiBearerAuth()
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Register a webhook: every event the caller may see (of `types`) is POSTed to `url`, signed per Standard Webhooks',
    description:
      'The response carries the signing secret, once. Deliveries: `webhook-id: evt_<seq>` (the same on every retry), `webhook-timestamp`, ' +
      '`webhook-signature: v1,<base64 HMAC-SHA256>`; at least once, in seq order; a non-2xx, a redirect or no answer in 10 s is retried ' +
      'with exponential backoff from 1 s, and after 24 h of failing the webhook is DISABLED.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookView })
  @ApiProblems(400, 409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateWebhookDto) {
    return this.webhooks.create(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The caller\'s webhooks (every status), newest first; never a secret' })
  @ApiOkResponse({ type: WebhookPage })
  @ApiProblems(400)
  list(@CurrentActor() actor: Actor, @QueryParams() q: PageQuery) {
    return this.webhooks.list(actor, q);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a webhook (its owner): nothing more is delivered' })
  @ApiOkResponse({ type: WebhookView })
  @ApiProblems(400, 404, 409)
  delete(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @NoBody() _body: undefined) {
    return this.webhooks.delete(actor, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Delivery attempts of a webhook (its owner), newest first' })
  @ApiOkResponse({ type: DeliveryPage })
  @ApiProblems(400, 404)
  deliveries(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @QueryParams() q: PageQuery) {
    return this.webhooks.deliveries(actor, id, q);
  }
}
