import { Injectable } from '@nestjs/common';
import { RegionChains } from '../../common/auth/region-chains';
import type { RegionParents } from '../../core/caps/region-parents';
import type { OverdraftFlag } from '../../core/regions/groundwater-overdraft';
import { Db } from '../../database/db.service';
import { ReferenceCache } from '../../database/reference-cache';
import { Tx } from '../../database/sql';
import { RegionsRepository } from './regions.repository';
import { RegionRow } from './regions.rows';

type ChainRow = Pick<RegionRow, 'code' | 'groundwater_overdraft'>;

/** Queries over the region tree, in the caller's transaction or on the pool. */
@Injectable()
export class RegionTree implements RegionChains {
  /** The transactions that hold the tree by `holdSteadyAhead` (a member rolled back to its savepoint lets go of it, and of this). */
  private readonly steadyIn = {};

  constructor(private readonly db: Db, private readonly regions: RegionsRepository, private readonly cache: ReferenceCache) {}

  /** The region and its ancestors, nearest first; empty if the region does not exist. */
  async chain(code: string, tx: Tx = this.db.manager): Promise<string[]> {
    return (await this.chainRows(tx, code)).map((r) => r.code);
  }

  /** The chain with each region's groundwater-overdraft flag (地下水超采区). */
  async flaggedChain(code: string, tx: Tx = this.db.manager): Promise<OverdraftFlag[]> {
    return (await this.chainRows(tx, code)).map((r) => ({ code: r.code, groundwaterOverdraft: r.groundwater_overdraft }));
  }

  /**
   * A trade's checks, its cap locks and its jurisdiction ask for the same chains several
   * times in one transaction, and every trade asks for them: each is kept per instance
   * (ReferenceCache) and, within a transaction, remembered. A transaction that changes the
   * tree calls `changed` after the change.
   */
  private async chainRows(tx: Tx, code: string): Promise<ChainRow[]> {
    const memo = this.db.memo<ChainRow[]>(tx, this);
    let chain = memo.get(code);
    if (!chain) {
      chain = await this.cache.read(tx, `region-chain:${code}`, () => this.regions.chain(tx, code));
      memo.set(code, chain);
    }
    return chain;
  }

  /** After a region was added, moved or flagged: this transaction reads the tree afresh, every instance forgets it at the commit. */
  async changed(tx: Tx): Promise<void> {
    this.db.memo(tx, this).clear();
    await this.cache.changed(tx);
  }

  /**
   * For a transaction whose cap checks depend on the tree (an issuance, a regional trade, a
   * regulator's approval, a transfer's acceptance, an auction's close): lock order, rank 1,
   * the tree lock shared, so no region moves until it commits, and the chains read afresh
   * from then on, as committed. Called before the transaction reads any chain.
   */
  async holdSteady(tx: Tx): Promise<void> {
    await this.regions.lockTreeShared(tx);
    this.aroundTheCache(tx);
  }

  /**
   * `holdSteady` for the order path, where trades settle as they open: once per
   * transaction (a batch's members share it), the lock sent ahead of the statement that
   * follows, which waits behind it in PostgreSQL, so it costs no round trip.
   */
  async holdSteadyAhead(tx: Tx): Promise<void> {
    const held = this.db.buffer<true>(tx, this.steadyIn);
    if (held.length > 0) return;
    held.push(true);
    await this.regions.lockTreeSharedAhead(tx);
    this.aroundTheCache(tx);
  }

  private aroundTheCache(tx: Tx): void {
    this.cache.readAround(tx);
    this.db.memo(tx, this).clear();
  }

  /** The part of the tree the chains of `codes` walk, as core/caps reads it: each code mapped to its parent. */
  async parents(codes: readonly string[], tx: Tx = this.db.manager): Promise<RegionParents> {
    return new Map((await this.regions.chainsOf(tx, codes)).map((r) => [r.code, r.parent_code] as const));
  }

  /** The region and every region below it. */
  async subtree(code: string, tx: Tx = this.db.manager): Promise<string[]> {
    return this.regions.subtree(tx, code);
  }

  async children(code: string, tx: Tx = this.db.manager): Promise<string[]> {
    return this.regions.children(tx, code);
  }
}
