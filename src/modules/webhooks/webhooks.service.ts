import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { newId } from '../../common/ids';
import { decodeCursor, Page, pageOf } from '../../common/paging/cursor';
import type { PageQuery } from '../../common/paging/paging';
import { AppConfig } from '../../config/app-config';
import { Db } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { CreatedWebhookView, CreateWebhookDto, DeliveryView, WebhookView } from './webhook.dto';
import { resolveTarget } from './webhook-target';
import { deliveryView, webhookView } from './webhook-views';
import { WebhooksRepository } from './webhooks.repository';
import { WebhookRow } from './webhooks.rows';

/** A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** A webhook is its owner's alone: anyone else is told it does not exist. */
export const mayReadWebhook = (actor: Actor, w: Pick<WebhookRow, 'owner_id'>): boolean => w.owner_id === actor.participantId;

/** Registration, listing and deletion of webhooks (API.md, Events and webhooks); delivery is the dispatcher's. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly db: Db,
    private readonly repo: WebhooksRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async create(actor: Actor, dto: CreateWebhookDto): Promise<CreatedWebhookView> {
    const resolved = await resolveTarget(dto.url, this.config.webhooks.allowPrivate);
    if (!resolved.ok) throw DomainError.validation([{ field: 'url', message: resolved.problem }]);
    return this.db.transaction(async (tx) => {
      // Each webhook is sent every event its owner sees, retried for a day: their number is bounded.
      await this.repo.lockOwner(tx, actor.participantId);
      const limit = this.config.webhooks.perParticipant;
      if ((await this.repo.countKept(tx, actor.participantId)) >= limit) {
        throw new DomainError('INVALID_STATE', `A participant may have at most ${limit} webhooks (WEBHOOKS_PER_PARTICIPANT); delete one first`);
      }
      const row = await this.repo.insert(tx, { id: newId(), owner_id: actor.participantId, url: dto.url, types: dto.types ?? null, secret: newWebhookSecret() });
      const view = webhookView(row);
      await this.audit.append(tx, actor.participantId, 'webhook.created', 'webhook', row.id, null, view);
      return { ...view, secret: row.secret };
    });
  }

  async list(actor: Actor, q: PageQuery): Promise<Page<WebhookView>> {
    const rows = await this.repo.ofOwner(this.db.manager, actor.participantId, decodeCursor(q.cursor, ['timestamp', 'uuid']), q.limit + 1);
    return pageOf(rows, q.limit, webhookView, (r) => [r.cursor_at, r.id]);
  }

  async delete(actor: Actor, id: string): Promise<WebhookView> {
    return this.db.transaction(async (tx) => {
      // Lock order, rank 3: the webhook.
      const before = await this.repo.lockForUpdate(tx, id);
      if (!before || !mayReadWebhook(actor, before)) throw DomainError.notFound(`Webhook ${id}`);
      if (before.status === 'DELETED') throw new DomainError('INVALID_STATE', `Webhook ${id} is already deleted`);
      const view = webhookView(await this.repo.end(tx, id, 'DELETED'));
      await this.audit.append(tx, actor.participantId, 'webhook.deleted', 'webhook', id, webhookView(before), view);
      return view;
    });
  }

  async deliveries(actor: Actor, id: string, q: PageQuery): Promise<Page<DeliveryView>> {
    const webhook = await this.repo.find(this.db.manager, id);
    if (!webhook || !mayReadWebhook(actor, webhook)) throw DomainError.notFound(`Webhook ${id}`);
    const before = decodeCursor(q.cursor, ['seq']);
    const rows = await this.repo.deliveries(this.db.manager, id, before ? before[0] : null, q.limit + 1);
    return pageOf(rows, q.limit, deliveryView, (r) => [r.id]);
  }
}
