import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { decodeCursor, pageOf } from '../../common/paging/paging';
import { AuditPage, AuditQuery, AuditVerifyView } from './audit.dto';
import { AuditService } from './audit.service';
import { TAGS } from '../../common/openapi/tags';

@ApiTags(TAGS.audit.name)
@ApiBearerAuth()
@Roles('OPERATOR', 'REGULATOR')
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Audit entries, oldest first, with filters and cursor paging' })
  @ApiOkResponse({ type: AuditPage })
  @ApiProblems(400, 403)
  async list(@Query() q: AuditQuery) {
    const after = decodeCursor(q.cursor, ['seq']);
    const rows = await this.audit.list({
      entityType: q.entityType,
      entityId: q.entityId,
      actorId: q.actorId,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      afterSeq: after ? Number(after[0]) : undefined,
      limit: q.limit + 1,
    });
    return pageOf(rows, q.limit, (e) => e, (e) => [e.seq]);
  }

  @Get('verify')
  @ApiOperation({ summary: 'Recompute the hash chain; any edited, inserted or deleted entry makes it invalid' })
  @ApiOkResponse({ type: AuditVerifyView })
  @ApiProblems(403)
  verify() {
    return this.audit.verify();
  }
}
