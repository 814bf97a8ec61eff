import { ApiProperty } from '@nestjs/swagger';
import { ApiEnum, ApiInt, ApiJsonObject, ApiText, ApiTimestamp } from '../../common/openapi/view-props';
import { IntField } from '../../common/validation/fields';
import { AUDIT_ACTIONS } from '../../core/audit/actions';
import { ENTITY_TYPES } from '../../core/audit/entity-types';

export const MAX_WAIT_SECONDS = 30;

export class EventsQuery {
  @IntField({ optional: true, query: true, min: 0, max: Number.MAX_SAFE_INTEGER, default: 0, example: 0, description: 'Only events with a greater `seq`; pass the previous answer\'s `lastSeq`' })
  after: number = 0;

  @IntField({ optional: true, query: true, min: 1, max: 500, default: 50, description: 'Events per answer' })
  limit: number = 50;

  @IntField({
    optional: true, query: true, min: 0, max: MAX_WAIT_SECONDS, default: 0,
    description: 'Seconds to wait, when nothing newer the caller may see exists yet, for something that is (long poll)',
  })
  wait: number = 0;
}

export class EventView {
  @ApiInt({ example: 42, description: 'the audit entry\'s seq' }) seq: number;
  @ApiTimestamp() at: string;
  @ApiEnum(AUDIT_ACTIONS, { description: 'the audit entry\'s action' }) type: string;
  @ApiEnum(ENTITY_TYPES) entityType: string;
  @ApiText({ example: '8f0c7c8e-2f4e-4a57-9d3a-1a4f0a9e6b11' }) entityId: string;
  @ApiJsonObject({ nullable: true, description: 'the audit entry\'s `after`, less whatever the entity\'s GET withholds from the caller' })
  data: Record<string, unknown> | null;
}

export class EventFeed {
  @ApiProperty({ type: EventView, isArray: true, description: 'oldest first' }) items: EventView[];
  @ApiInt({ example: 42, description: 'the last item\'s seq, or `after` when there is none: pass it as the next `after`' }) lastSeq: number;
  @ApiInt({
    example: 57,
    description: 'the newest entry this request looked at, never below `lastSeq`: of the entries after `lastSeq` up to it, none was the caller\'s to see as of the request. ' +
      'A caller with nothing to see that passes it as the next `after` is not made to wait while the same entries are looked at again; ' +
      'one that passes `lastSeq` has them looked at again, as of its own request.',
  }) scannedTo: number;
}
