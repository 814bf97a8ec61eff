import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Actor } from '../../common/auth/actor';
import { CurrentActor, Roles } from '../../common/auth/decorators';
import { ApiJsonOrCsvResponse, jsonOrCsv } from '../../common/media/json-or-csv';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { TAGS } from '../../common/openapi/tags';
import { QueryParams } from '../../common/validation/query-params';
import {
  CAPS_REPORT_COLUMNS, CapsReport, LONG_TERM_REPORT_COLUMNS, LongTermReport, ReportQuery, SAVINGS_REPORT_COLUMNS, SavingsReport,
  TRADE_REPORT_COLUMNS, TradeReport, TradeReportQuery,
} from './report.dto';
import { ReportsService } from './reports.service';

@ApiTags(TAGS.reports.name)
@ApiBearerAuth()
@Roles('OPERATOR', 'REGULATOR')
@Controller('v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('trades')
  @ApiOperation({ summary: 'Settled trades of the region\'s markets in the year, by month, source, buyer use or child region, with 农转非 volume (operator, regulators with jurisdiction)' })
  @ApiJsonOrCsvResponse(TradeReport, 'key,trades,volume,amount,vwap,fromAgricultureVolume\n2026-03,2,1000,2400.00,2.4,600\n')
  @ApiProblems(403, 404)
  async trades(@CurrentActor() actor: Actor, @QueryParams() q: TradeReportQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return jsonOrCsv(req, res, await this.reports.trades(actor, q), TRADE_REPORT_COLUMNS);
  }

  @Get('long-term')
  @ApiOperation({ summary: 'Transfers of rights and regional trades settled in the year, by type (operator, regulators with jurisdiction)' })
  @ApiJsonOrCsvResponse(LongTermReport, 'type,deals,volumePerYear,amount\nRIGHT_TRANSFER,1,200000,1200000.00\n')
  @ApiProblems(403, 404)
  async longTerm(@CurrentActor() actor: Actor, @QueryParams() q: ReportQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return jsonOrCsv(req, res, await this.reports.longTerm(actor, q), LONG_TERM_REPORT_COLUMNS);
  }

  @Get('caps')
  @ApiOperation({ summary: 'The region\'s cap view, then each child region\'s, by code (operator, regulators with jurisdiction)' })
  @ApiJsonOrCsvResponse(CapsReport, `${CAPS_REPORT_COLUMNS.join(',')}\n150400,2026,1000000,600000,0,0,0,0,0,400000\n`)
  @ApiProblems(403, 404)
  async caps(@CurrentActor() actor: Actor, @QueryParams() q: ReportQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return jsonOrCsv(req, res, await this.reports.caps(actor, q), CAPS_REPORT_COLUMNS);
  }

  @Get('savings')
  @ApiOperation({ summary: 'Contract water-saving by model: projects, statements of the year, savings and certified volume (operator, regulators with jurisdiction)' })
  @ApiJsonOrCsvResponse(SavingsReport, 'model,projects,statements,savedVolume,savedValue,certifiedVolume\nBENEFIT_SHARING,1,1,20000,80000.00,20000\n')
  @ApiProblems(403, 404)
  async savings(@CurrentActor() actor: Actor, @QueryParams() q: ReportQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return jsonOrCsv(req, res, await this.reports.savings(actor, q), SAVINGS_REPORT_COLUMNS);
  }
}
