import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor } from '../../common/auth/actor';
import { CurrentActor } from '../../common/auth/decorators';
import { TAGS } from '../../common/openapi/tags';
import { QueryParams } from '../../common/validation/query-params';
import { EventFeed, EventsQuery } from './event.dto';
import { EventsService } from './events.service';

@ApiTags(TAGS.events.name)
@ApiBearerAuth()
@Controller('v1/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @ApiOperation({
    summary: 'Audit entries the caller may see (it may GET the entity they are about; the operator sees all), oldest first, with long polling',
    description:
      'Returns events with `seq` > `after`, oldest first, at most `limit`. With `wait` > 0 and nothing newer the caller may see, ' +
      'the request waits up to `wait` seconds for something that is. `data` is the entry\'s `after` less whatever the entity\'s GET withholds from the caller.',
  })
  @ApiOkResponse({ type: EventFeed })
  feed(@CurrentActor() actor: Actor, @QueryParams() q: EventsQuery, @Res({ passthrough: true }) res: Response) {
    // A client that hangs up stops its long poll.
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    return this.events.feed(actor, q, gone.signal);
  }
}
