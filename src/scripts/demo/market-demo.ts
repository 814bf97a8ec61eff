import type { INestApplicationContext } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { Clock } from '../../common/clock';
import { yearEndsAt } from '../../core/calendar/exchange-calendar';
import { Dec } from '../../core/decimal';
import type { ParticipantKind } from '../../core/participants/participant-kind';
import { AppConfig } from '../../config/app-config';
import { Db } from '../../database/db.service';
import { AuctionsService } from '../../modules/auctions/auctions.service';
import { BidsService } from '../../modules/auctions/bids.service';
import { CashService } from '../../modules/ledger/cash.service';
import { LedgerRepository } from '../../modules/ledger/ledger.repository';
import { MarketsService } from '../../modules/markets/markets.service';
import { OrdersService } from '../../modules/orders/orders.service';
import { ParticipantsService } from '../../modules/participants/participants.service';
import { CertificationService } from '../../modules/projects/certification.service';
import { ProjectsService } from '../../modules/projects/projects.service';
import { ReadingsService } from '../../modules/projects/readings.service';
import { StatementsService } from '../../modules/projects/statements.service';
import { RightsRepository } from '../../modules/rights/rights.repository';
import { RightsService } from '../../modules/rights/rights.service';
import { TradesService } from '../../modules/trades/trades.service';

/**
 * The living part of the demo: participants, rights and their quota, cash, a market of
 * 阿鲁科尔沁旗 surface water with settled trades, one waiting for approval and resting
 * orders, a contract water-saving project with a certified statement, and an open listing
 * and buy-back tender with sealed bids — so the public pages, the reports and the event
 * feed show real figures at once. Every step looks first
 * and writes only what is missing: a second run writes nothing, and API keys are printed
 * only when their participant is created.
 */

export interface DemoCast {
  city: Actor;
  county: Actor;
  district: Actor;
  factory: Actor;
  company: Actor;
  reserve: Actor;
}

interface CastMember {
  role: keyof DemoCast;
  name: string;
  kind: ParticipantKind;
  regionCode: string;
  creditCode?: string;
}

const CAST: CastMember[] = [
  { role: 'city', name: '赤峰市水利局', kind: 'REGULATOR', regionCode: '150400' },
  { role: 'county', name: '阿鲁科尔沁旗水利局', kind: 'REGULATOR', regionCode: '150421' },
  { role: 'district', name: '阿鲁科尔沁旗灌区管理所（演示）', kind: 'IRRIGATION_DISTRICT', regionCode: '150421' },
  { role: 'factory', name: '巴林左旗某化工企业（演示）', kind: 'ENTERPRISE', regionCode: '150422', creditCode: '91150422DEMO00001X' },
  { role: 'company', name: '赤峰某节水服务公司（演示）', kind: 'SERVICE_COMPANY', regionCode: '150421', creditCode: '91150421DEMO00002X' },
  { role: 'reserve', name: '赤峰市水权收储中心（演示）', kind: 'RESERVE', regionCode: '150400' },
];

const PROJECT_NAME = '阿鲁科尔沁旗灌区渠道衬砌节水改造（演示）';

type Print = (line?: string) => void;

const actorOf = (p: { id: string; kind: ParticipantKind; regionCode: string; useType: Actor['useType'] }): Actor =>
  ({ participantId: p.id, kind: p.kind, regionCode: p.regionCode, useType: p.useType, keyId: 'seed' });

/** Writes what is missing of the demo market; the number of objects it created. */
export async function seedMarketDemo(app: INestApplicationContext, operator: Actor, print: Print): Promise<number> {
  const year = app.get(Clock).currentYear();
  let created = 0;
  const cast = await castOf(app, operator, print, () => created++);
  const marketId = `150421-SURFACE-${year}`;
  const did = (what: string) => {
    created++;
    print(`  + ${what}`);
  };

  // Quota: the district's 取水许可 and this year's allocation; cash for the buyers.
  const rightId = await ensureRight(app, cast, `赤阿水许〔${year}〕演示001号`, year, did);
  const rights = app.get(RightsRepository);
  const [figures] = (await rights.years(app.get(Db).manager, [rightId])).filter((y) => y.year === year);
  if (!figures || new Dec(figures.allocated).isZero()) {
    await app.get(RightsService).allocate(cast.county, rightId, { year, volume: '200000' });
    did(`allocation of 200000 m³ for ${year} to the district`);
  }
  for (const [who, amount] of [[cast.factory, '1000000.00'], [cast.reserve, '500000.00']] as const) {
    const reference = `DEMO-DEPOSIT-${who.participantId.slice(0, 8)}`;
    if (await app.get(LedgerRepository).depositByReference(app.get(Db).manager, who.participantId, reference)) continue;
    await app.get(CashService).deposit(operator, who.participantId, { amount, reference });
    did(`deposit of ${amount} CNY (${reference})`);
  }

  // The market and its trading: settled trades, one in the approval queue, resting orders.
  const markets = app.get(MarketsService);
  const exists = await markets.get(marketId).then(() => true, (err: unknown) => {
    if (err instanceof DomainError && err.code === 'NOT_FOUND') return false;
    throw err;
  });
  if (!exists) {
    await markets.create(operator, { regionCode: '150421', source: 'SURFACE', year, feeRate: '0.002', approvalDeadlineDays: 20 });
    did(`market ${marketId}`);
  }
  if ((await markets.tape(marketId, 1)).items.length === 0) {
    const orders = app.get(OrdersService);
    const trades = app.get(TradesService);
    const cross = async (buyer: Actor, price: string, volume: string) => {
      await orders.place(cast.district, marketId, { side: 'SELL', price, volume });
      const buy = await orders.place(buyer, marketId, { side: 'BUY', price, volume });
      return buy.trades[0].id;
    };
    await trades.approve(cast.city, await cross(cast.factory, '1.20', '20000'), '农转非 reviewed: irrigation needs in 150421 stay met');
    await trades.approve(cast.city, await cross(cast.reserve, '1.25', '10000'), 'bought back for storage (收储)');
    did('2 settled trades (approved by 赤峰市水利局)');
    await cross(cast.factory, '1.30', '5000');
    did('1 trade waiting for approval in 赤峰市水利局\'s queue');
    await orders.place(cast.district, marketId, { side: 'SELL', price: '1.40', volume: '8000' });
    await orders.place(cast.factory, marketId, { side: 'BUY', price: '1.10', volume: '6000' });
    did('resting orders: SELL 8000 @ 1.40, BUY 6000 @ 1.10');
  } else {
    // A second run, or the README's walk-throughs, which trade on the same market: its figures are not only the demo's.
    print(`  (market ${marketId} has traded already: no trades or orders added)`);
  }

  // Contract water-saving: a project whose January statement is confirmed and certified.
  await ensureCertifiedProject(app, cast, year, did);

  // Auctions: the district's open 挂牌竞价 listing with the factory's sealed bid, and the
  // reserve's 收储 tender with the district's offer, closing a day after the notice period.
  await ensureOpenAuctions(app, cast, marketId, year, print, did);
  return created;
}

const LISTING_NOTE = '灌区节水量挂牌竞价（演示）';
const TENDER_NOTE = '收储：优先收购灌区节水量（演示）';

/**
 * Each auction is looked for first, OPEN with its note, and its bid among its bidder's own:
 * a second run writes nothing. One that the close job has closed since is opened anew.
 */
async function ensureOpenAuctions(app: INestApplicationContext, cast: DemoCast, marketId: string, year: number, print: Print, did: (what: string) => void): Promise<void> {
  const noticeMs = app.get(AppConfig).minNoticeSeconds * 1000;
  const closesAt = new Date(app.get(Clock).now().getTime() + noticeMs + 24 * 3600 * 1000);
  const demo = [
    { creator: cast.district, bidder: cast.factory, note: LISTING_NOTE, side: 'SELL' as const, volume: '10000', limitPrice: '1.30', bid: { price: '1.35', volume: '6000' } },
    { creator: cast.reserve, bidder: cast.district, note: TENDER_NOTE, side: 'BUY' as const, volume: '15000', limitPrice: '1.28', bid: { price: '1.22', volume: '5000' } },
  ];
  const auctions = app.get(AuctionsService);
  const bids = app.get(BidsService);
  for (const a of demo) {
    const open = await auctions.list(a.creator, { marketId, side: a.side, status: 'OPEN', limit: 500 });
    let auction = open.items.find((x) => x.creatorId === a.creator.participantId && x.note === a.note);
    if (!auction) {
      if (closesAt.getTime() >= yearEndsAt(year).getTime()) {
        print(`  (no ${a.side === 'SELL' ? 'listing' : 'tender'}: a notice period from today would end after ${year})`);
        continue;
      }
      auction = await auctions.create(a.creator, {
        marketId, side: a.side, volume: a.volume, limitPrice: a.limitPrice, closesAt: closesAt.toISOString(), note: a.note,
        ...(a.side === 'BUY' ? { priorityKinds: ['IRRIGATION_DISTRICT' as const] } : {}),
      });
      did(a.side === 'SELL'
        ? `挂牌竞价 listing: ${a.volume} m³ of the district's water, reserve ${a.limitPrice}, closes ${auction.closesAt}`
        : `收储 tender of the reserve: ${a.volume} m³, districts first, limit ${a.limitPrice} (hidden), closes ${auction.closesAt}`);
    }
    if ((await bids.list(a.bidder, auction.id, { limit: 500 })).items.length === 0) {
      await bids.place(a.bidder, auction.id, a.bid);
      did(`sealed ${a.side === 'SELL' ? 'bid of the factory' : 'offer of the district'}: ${a.bid.volume} m³ at ${a.bid.price}`);
    }
  }
}

async function castOf(app: INestApplicationContext, operator: Actor, print: Print, onCreate: () => void): Promise<DemoCast> {
  const participants = app.get(ParticipantsService);
  const cast: Partial<DemoCast> = {};
  for (const m of CAST) {
    const found = (await participants.list(operator, { kind: m.kind, regionCode: m.regionCode, limit: 500 })).items.find((p) => p.name === m.name);
    if (found) {
      cast[m.role] = actorOf(found);
      continue;
    }
    const made = await participants.create(operator, { name: m.name, kind: m.kind, regionCode: m.regionCode, creditCode: m.creditCode });
    cast[m.role] = actorOf(made);
    onCreate();
    print(`  + ${m.kind.padEnd(19)} ${m.name}  ${m.regionCode}  id ${made.id}`);
    print(`      API key (shown once): ${made.apiKey}`);
  }
  return cast as DemoCast;
}

async function ensureRight(app: INestApplicationContext, cast: DemoCast, permitNo: string, year: number, did: (what: string) => void): Promise<string> {
  const rights = app.get(RightsService);
  const own = await rights.list(cast.district, { holderId: cast.district.participantId, limit: 500 });
  const found = own.items.find((r) => r.permitNo === permitNo);
  if (found) return found.id;
  const right = await rights.create(cast.county, {
    holderId: cast.district.participantId, regionCode: '150421', source: 'SURFACE', useType: 'AGRICULTURE', annualVolume: '500000',
    validFrom: `${year}-01-01`, validTo: `${year + 9}-12-31`, permitNo,
  });
  did(`right ${permitNo}: 500000 m³/yr of surface water, AGRICULTURE`);
  return right.id;
}

async function ensureCertifiedProject(app: INestApplicationContext, cast: DemoCast, year: number, did: (what: string) => void): Promise<void> {
  const projects = app.get(ProjectsService);
  let project = (await projects.list(cast.company, { limit: 500 })).items.find((p) => p.name === PROJECT_NAME);
  if (!project) {
    project = await projects.create(cast.company, {
      name: PROJECT_NAME, model: 'BENEFIT_SHARING', serviceCompanyId: cast.company.participantId, waterUserId: cast.district.participantId,
      regionCode: '150421', source: 'SURFACE', startDate: `${year - 1}-12-01`, endDate: `${year + 4}-12-31`, waterPrice: '4.00',
      baseline: { method: 'FIXED', volumePerPeriod: '100000' }, terms: { serviceShare: '0.70' },
    });
    did(`project ${PROJECT_NAME} (BENEFIT_SHARING, 70 % to the service company)`);
  }
  const readings = app.get(ReadingsService);
  if ((await readings.list(cast.company, project.id, { limit: 1 })).items.length === 0) {
    // The last December has ended on every day of the year; a reading must measure a period that has.
    await readings.record(cast.district, project.id, { periodStart: `${year - 1}-12-01`, periodEnd: `${year - 1}-12-31`, volume: '80000' });
    did('reading for December of last year: 80000 m³ against a 100000 m³ baseline');
  }
  const statements = app.get(StatementsService);
  const [statement] = (await statements.list(cast.company, project.id, { limit: 1 })).items;
  for (const party of [cast.company, cast.district]) {
    if (statement.status === 'DRAFT' && !statement.confirmedBy.includes(party.participantId)) {
      await statements.confirm(party, project.id, statement.id);
      did(`statement confirmed by ${party.kind}`);
    }
  }
  if (statement.status !== 'CERTIFIED') {
    await app.get(CertificationService).certify(cast.county, project.id, statement.id, year);
    did(`statement certified: 20000 m³ of saved water issued to the district for ${year}`);
  }
}
