import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../../../src/core/audit/hash-chain';
import type { ParticipantKind } from '../../../src/core/participants/participant-kind';
import type { UseType } from '../../../src/core/water';
import type { AuditRepository, SealStep } from '../../../src/modules/audit/audit.repository';
import type { AuditHeadRow } from '../../../src/modules/audit/audit.rows';
import type { Tx } from '../../../src/database/sql';
import { MarketsRepository } from '../../../src/modules/markets/markets.repository';
import { MarketRow } from '../../../src/modules/markets/markets.rows';
import { ParticipantsRepository } from '../../../src/modules/participants/participants.repository';
import { ParticipantRow } from '../../../src/modules/participants/participants.rows';
import { RegionsRepository } from '../../../src/modules/regions/regions.repository';
import { RepoDatabase } from './repo-database';

/** Rows the tables under test reference, written through their own repositories. */

export async function region(db: RepoDatabase, code: string, parentCode: string | null = null, groundwaterOverdraft = false): Promise<void> {
  await db.tx((tx) => new RegionsRepository().upsert(tx, { code, name: `region ${code}`, parent_code: parentCode, groundwater_overdraft: groundwaterOverdraft }));
}

/** 150000 → 150400 → 150421 and 150422: a province, a city and two counties. */
export async function regionTree(db: RepoDatabase): Promise<void> {
  await region(db, '150000');
  await region(db, '150400', '150000');
  await region(db, '150421', '150400');
  await region(db, '150422', '150400');
}

/** A participant row as written once (the database refuses any later change): its use type, if any, is given here. */
export async function participant(db: RepoDatabase, kind: ParticipantKind = 'ENTERPRISE', regionCode = '150421', useType: UseType | null = null): Promise<ParticipantRow> {
  return db.tx((tx) => new ParticipantsRepository().insert(tx, { id: randomUUID(), name: `${kind} ${randomUUID().slice(0, 8)}`, kind, region_code: regionCode, credit_code: null, use_type: useType }));
}

export async function market(db: RepoDatabase, createdBy: string, fields: Partial<MarketRow> = {}): Promise<MarketRow> {
  return db.tx((tx) =>
    new MarketsRepository().insert(tx, {
      id: '150421-SURFACE-2026', region_code: '150421', source: 'SURFACE', year: 2026, fee_rate: '0', min_volume: '1', price_tick: '0.01',
      approval_mode: 'APPROVAL', approval_deadline_days: 20, auto_approve_max_volume: null, status: 'OPEN', created_by: createdBy, ...fields,
    }),
  );
}

/** The head locked as a sealing round locks it (lock order, last rank), taking no staged row. */
export async function lockHead(tx: Tx, audit: AuditRepository): Promise<AuditHeadRow> {
  return (await audit.lockHeadAndTake(tx, 0)).head;
}

/**
 * What a sealing round writes, in one transaction: the entries but the last chunk, then the
 * statement that appends that chunk, moves the head and runs the steps (which the service
 * sends ahead of its COMMIT).
 */
export async function appendAndMoveHead(tx: Tx, audit: AuditRepository, entries: readonly AuditEntry[], steps: readonly SealStep[] = []): Promise<void> {
  const last = await audit.insertAllButLast(tx, entries, steps);
  const params: unknown[] = [];
  await tx.query(last((value) => `$${params.push(value)}`), params);
}
