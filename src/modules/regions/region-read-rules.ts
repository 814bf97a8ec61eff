import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { EntityReadRules, ReadRules, readableByAll, ReadRulesRegistry, Redaction } from '../events/read-rules';

/** Regions and caps: every authenticated caller GETs them (API.md, Regions and caps). */
@Injectable()
export class RegionReadRules extends ReadRules implements EntityReadRules {
  readonly entityTypes = ['region', 'cap'] as const;

  constructor(registry: ReadRulesRegistry) {
    super(registry);
  }

  async readable(_actor: Actor, _entityType: 'region' | 'cap', ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>> {
    return readableByAll(ids);
  }

  /** A region by itself; a cap (`<code>-<year>`) by its region. */
  async auditRegions(_entityType: 'region' | 'cap', ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    return new Map(ids.map((id) => [id, [id.slice(0, 6)]]));
  }
}
