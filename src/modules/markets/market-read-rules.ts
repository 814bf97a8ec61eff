import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { EntityReadRules, marketRegions, ReadRules, readableByAll, ReadRulesRegistry, Redaction } from '../events/read-rules';

/** Markets: every authenticated caller GETs them (API.md, Markets and orders). */
@Injectable()
export class MarketReadRules extends ReadRules implements EntityReadRules {
  readonly entityTypes = ['market'] as const;

  constructor(registry: ReadRulesRegistry) {
    super(registry);
  }

  async readable(_actor: Actor, _entityType: 'market', ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>> {
    return readableByAll(ids);
  }

  async auditRegions(_entityType: 'market', ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    return marketRegions(ids.map((id) => ({ id, marketId: id })));
  }
}
