import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/actor';
import { CurrentActor, Roles } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { TAGS } from '../../common/openapi/tags';
import { QueryParams } from '../../common/validation/query-params';
import { AuditPage, AuditQuery, AuditVerifyView } from '../audit/audit.dto';
import { AuditService } from '../audit/audit.service';
import { AuditLogService } from './audit-log.service';

@ApiTags(TAGS.audit.name)
@ApiBearerAuth()
@Roles('OPERATOR', 'REGULATOR')
@Controller('v1/audit')
export class AuditLogController {
  constructor(private readonly audit: AuditService, private readonly log: AuditLogService) {}

  @Get()
  @ApiOperation({
    summary: 'Audit entries, oldest first, with filters and cursor paging',
    description:
      'The operator reads every entry; a regulator reads the entries about objects that belong to a region in its jurisdiction. ' +
      'A regulator\'s request examines at most AUDIT_SCAN_LIMIT entries of the log, so its page may be short, or empty, and still carry a nextCursor: follow it until it is null.',
  })
  @ApiOkResponse({ type: AuditPage })
  @ApiProblems(400, 403)
  list(@CurrentActor() actor: Actor, @QueryParams() q: AuditQuery) {
    return this.log.list(actor, q);
  }

  @Get('verify')
  @ApiOperation({ summary: 'Recompute the hash chain; any edited, inserted or deleted entry makes it invalid' })
  @ApiOkResponse({ type: AuditVerifyView })
  @ApiProblems(403)
  verify() {
    return this.audit.verify();
  }
}
