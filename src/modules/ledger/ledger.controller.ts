import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/actor';
import { CurrentActor, Roles } from '../../common/auth/decorators';
import { ApiProblems } from '../../common/openapi/problem.schema';
import { QueryParams } from '../../common/validation/query-params';
import { UuidParam } from '../../common/validation/uuid-param.pipe';
import { CashService } from './cash.service';
import { BalancesView, DepositDto, LedgerEntryView, LedgerPage, LedgerQuery, LedgerVerifyView, WithdrawalDto } from './ledger.dto';
import { LedgerService } from './ledger.service';
import { TAGS } from '../../common/openapi/tags';

@ApiTags(TAGS.cash.name)
@ApiBearerAuth()
@Controller('v1')
export class LedgerController {
  constructor(private readonly cash: CashService, private readonly ledger: LedgerService) {}

  @Post('participants/:id/deposits')
  @Roles('OPERATOR')
  @ApiOperation({
    summary: 'Record money received by the settlement bank (operator)',
    description: 'A bank `reference` already credited to this participant is 409 `DUPLICATE`, under any `Idempotency-Key`: a statement line is credited once. '
      + 'A deposit that would take the cash the exchange holds in all to 10^15 CNY is 409 `CHECK_FAILED` (docs/domain.md).',
  })
  @ApiCreatedResponse({ type: LedgerEntryView })
  @ApiProblems(400, 403, 404, 409)
  deposit(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() dto: DepositDto) {
    return this.cash.deposit(actor, id, dto);
  }

  @Post('participants/:id/withdrawals')
  @ApiOperation({ summary: 'Withdraw available cash to the bank (the participant itself)' })
  @ApiCreatedResponse({ type: LedgerEntryView })
  @ApiProblems(400, 403, 404, 409)
  withdraw(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() dto: WithdrawalDto) {
    return this.cash.withdraw(actor, id, dto);
  }

  @Get('participants/:id/balances')
  @ApiOperation({ summary: 'Cash and quota, available and locked (the participant, the operator, regulators with jurisdiction)' })
  @ApiOkResponse({ type: BalancesView })
  @ApiProblems(403, 404)
  balances(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.cash.balances(actor, id);
  }

  @Get('participants/:id/ledger')
  @ApiOperation({ summary: 'Ledger entries with balanceAfter, newest first' })
  @ApiOkResponse({ type: LedgerPage })
  @ApiProblems(400, 403, 404)
  entries(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @QueryParams() q: LedgerQuery) {
    return this.cash.entries(actor, id, q);
  }

  @Get('ledger/verify')
  @Roles('OPERATOR')
  @ApiOperation({ summary: 'Recompute every balance from postings and check the invariants (operator)' })
  @ApiOkResponse({ type: LedgerVerifyView })
  @ApiProblems(403)
  verify() {
    return this.ledger.verify();
  }
}
