import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
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
  list(@Query() q: AuditQuery) {
    return this.audit.list(q);
  }

  @Get('verify')
  @ApiOperation({ summary: 'Recompute the hash chain; any edited, inserted or deleted entry makes it invalid' })
  @ApiOkResponse({ type: AuditVerifyView })
  @ApiProblems(403)
  verify() {
    return this.audit.verify();
  }
}
