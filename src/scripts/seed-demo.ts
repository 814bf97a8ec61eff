import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { AppModule } from '../app.module';
import { Actor } from '../common/auth/actor';
import { requestContext } from '../common/context/request-context';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { bootstrapOperator } from '../configure-app';
import { envOrExit } from '../config/env.schema';
import { Dec, formatVolume } from '../core/decimal';
import { runMigrations } from '../database/data-source';
import { resolveDatabase } from '../database/resolve-database';
import { AuditService } from '../modules/audit/audit.service';
import { ParticipantsService } from '../modules/participants/participants.service';
import { CapsService } from '../modules/regions/caps.service';
import { RegionView } from '../modules/regions/region.dto';
import { RegionsService } from '../modules/regions/regions.service';
import { seedMarketDemo } from './demo/market-demo';
import { CHIFENG_2025, CHIFENG_CAP_SOURCE, CHIFENG_CAP_YEAR, DemoRegion, M3_PER_100_MILLION_M3 } from './demo/chifeng-2025-caps';

/**
 * `npm run seed:demo`: the 赤峰市 2025 jurisdiction tree and its caps (用水总量控制指标),
 * then a living market (demo/market-demo.ts): participants with their keys, rights and
 * quota, cash, settled and pending trades, resting orders and a certified contract
 * water-saving statement. Everything is written through the services as the API would
 * write it, so every write is audited. What already exists is left alone, so running it
 * again appends nothing to the audit log.
 */

type Outcome = 'created' | 'updated' | 'unchanged';

interface Row {
  region: DemoRegion;
  regionOutcome: Outcome;
  capM3: string | null;
  capOutcome: Outcome | null;
}

const print = (line = '') => process.stdout.write(`${line}\n`);

/** 亿m³ → m³, exactly: "20.23" → "2023000000". */
const capM3Of = (region: DemoRegion): string | null =>
  region.totalUse100MillionM3 === null ? null : formatVolume(new Dec(region.totalUse100MillionM3).mul(M3_PER_100_MILLION_M3));

async function operatorActor(app: INestApplicationContext, adminApiKey: string | undefined): Promise<Actor> {
  await bootstrapOperator(app, adminApiKey);
  const operator = await app.get(ParticipantsService).operator();
  return { participantId: operator.id, kind: 'OPERATOR', regionCode: operator.region_code, useType: null, keyId: 'seed' };
}

async function currentRegion(regions: RegionsService, code: string): Promise<RegionView | null> {
  try {
    return await regions.get(code);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'NOT_FOUND') return null;
    throw err;
  }
}

async function putRegion(regions: RegionsService, actor: Actor, r: DemoRegion): Promise<Outcome> {
  const current = await currentRegion(regions, r.code);
  if (current && current.name === r.name && current.parentCode === r.parentCode) return 'unchanged';
  // groundwaterOverdraft is omitted: a flag an operator set by hand survives a re-seed.
  const { created } = await regions.put(actor, r.code, { name: r.name, parentCode: r.parentCode });
  return created ? 'created' : 'updated';
}

async function setCap(caps: CapsService, actor: Actor, code: string, capM3: string): Promise<Outcome> {
  const { totalCap } = await caps.view(code, CHIFENG_CAP_YEAR);
  if (totalCap !== null && new Dec(totalCap).eq(capM3)) return 'unchanged';
  await caps.set(actor, code, CHIFENG_CAP_YEAR, capM3);
  return totalCap === null ? 'created' : 'updated';
}

async function seed(app: INestApplicationContext, adminApiKey: string | undefined, runId: string): Promise<Row[]> {
  const actor = await operatorActor(app, adminApiKey);
  const regions = app.get(RegionsService);
  const caps = app.get(CapsService);
  const rows: Row[] = [];
  for (const region of CHIFENG_2025) {
    const regionOutcome = await putRegion(regions, actor, region);
    const capM3 = capM3Of(region);
    const capOutcome = capM3 === null ? null : await setCap(caps, actor, region.code, capM3);
    rows.push({ region, regionOutcome, capM3, capOutcome });
  }
  printRegions(rows);
  print('Demo market, participants and a contract water-saving project:');
  const created = await seedMarketDemo(app, actor, print);
  if (created === 0) print('  everything already there');
  print(`audit entries written: ${await app.get(AuditService).countByRequest(runId)}`);
  return rows;
}

function printRegions(rows: Row[]): void {
  const tally = (outcomes: (Outcome | null)[]) =>
    (['created', 'updated', 'unchanged'] as const).map((o) => `${outcomes.filter((x) => x === o).length} ${o}`).join(', ');
  print(`Demo data: ${CHIFENG_CAP_SOURCE}, year ${CHIFENG_CAP_YEAR}`);
  for (const r of rows) {
    const cap = r.capM3 === null ? 'no cap in the table' : `cap ${r.capM3} m³ ${r.capOutcome}`;
    print(`  ${r.region.code}  region ${r.regionOutcome.padEnd(9)}  ${cap.padEnd(28)}  ${r.region.name}`);
  }
  print(`regions: ${tally(rows.map((r) => r.regionOutcome))}`);
  print(`caps ${CHIFENG_CAP_YEAR}: ${tally(rows.filter((r) => r.capOutcome !== null).map((r) => r.capOutcome))}`);
}

async function main(): Promise<void> {
  const env = envOrExit(process.env);
  const { url, embedded } = await resolveDatabase(env, print);
  try {
    const applied = await runMigrations(url);
    if (applied.length) print(`applied migrations: ${applied.join(', ')}`);
    const config = AppConfig.from(env, url, { runJobs: false });
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn'] });
    try {
      // Every audit entry of this run carries one id, so the run can be found in the log.
      const runId = `seed-demo-${randomUUID()}`;
      await requestContext.run({ requestId: runId }, () => seed(app, env.ADMIN_API_KEY, runId));
    } finally {
      await app.close();
    }
  } finally {
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`seed:demo failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
