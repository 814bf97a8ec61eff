import { Inject, Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { coversBoth, coversRegion } from '../../core/jurisdiction';
import { Tx } from '../../database/sql';
import { RegionTree } from './region-tree';

type ChainReader = Pick<RegionTree, 'chain'>;

/** Object-level access rules that need the region tree. */
@Injectable()
export class Jurisdiction {
  constructor(@Inject(RegionTree) private readonly tree: ChainReader) {}

  /**
   * The same rules for one batch of objects (the events a reader is shown): each region's
   * chain is read once for the batch. Not to be kept: the tree may change afterwards.
   */
  forBatch(): Jurisdiction {
    const chains = new Map<string, Promise<string[]>>();
    return new Jurisdiction({
      chain: (code: string, tx?: Tx) => {
        if (!chains.has(code)) chains.set(code, this.tree.chain(code, tx));
        return chains.get(code)!;
      },
    });
  }

  /** True when the actor is a regulator whose jurisdiction contains `regionCode`. */
  async covers(actor: Actor, regionCode: string, options: { strict?: boolean; tx?: Tx } = {}): Promise<boolean> {
    if (actor.kind !== 'REGULATOR') return false;
    return coversRegion(actor.regionCode, await this.tree.chain(regionCode, options.tx), options.strict);
  }

  async coversBoth(actor: Actor, sellerRegion: string, buyerRegion: string, tx?: Tx): Promise<boolean> {
    if (actor.kind !== 'REGULATOR') return false;
    return coversBoth(actor.regionCode, await this.tree.chain(sellerRegion, tx), await this.tree.chain(buyerRegion, tx));
  }

  /** Operator always; a regulator only inside its jurisdiction; everyone else never. */
  async assertOperatorOrRegulatorOver(actor: Actor, regionCode: string, options: { strict?: boolean; tx?: Tx } = {}): Promise<void> {
    if (actor.kind === 'OPERATOR') return;
    if (await this.covers(actor, regionCode, options)) return;
    throw DomainError.forbidden(
      actor.kind === 'REGULATOR'
        ? `Region ${regionCode} is outside the jurisdiction of region ${actor.regionCode}`
        : 'Only the operator or a regulator with jurisdiction may do this',
    );
  }

  async assertRegulatorOver(actor: Actor, regionCode: string, options: { strict?: boolean; tx?: Tx } = {}): Promise<void> {
    if (await this.covers(actor, regionCode, options)) return;
    throw DomainError.forbidden(
      actor.kind === 'REGULATOR'
        ? `Region ${regionCode} is outside the jurisdiction of region ${actor.regionCode}`
        : 'Only a regulator with jurisdiction may do this',
    );
  }
}
