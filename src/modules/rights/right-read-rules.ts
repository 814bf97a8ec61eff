import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { Db } from '../../database/db.service';
import { audienceOf, AudienceKey } from '../events/audience';
import { EntityReadRules, ReadRules, ReadRulesRegistry, Redaction, WHOLE } from '../events/read-rules';
import { Jurisdiction } from '../regions/jurisdiction.service';
import { RightsRepository } from './rights.repository';
import { RightsService } from './rights.service';

/** Rights, and their allocations with them, as GET /v1/rights/:id reads them. */
@Injectable()
export class RightReadRules extends ReadRules implements EntityReadRules {
  readonly entityTypes = ['right', 'allocation'] as const;

  constructor(
    registry: ReadRulesRegistry,
    private readonly db: Db,
    private readonly rights: RightsService,
    private readonly rows: RightsRepository,
    private readonly jurisdiction: Jurisdiction,
  ) {
    super(registry);
  }

  async readable(actor: Actor, entityType: 'right' | 'allocation', ids: readonly string[]): Promise<ReadonlyMap<string, Redaction>> {
    const batch = this.jurisdiction.forBatch();
    const rule = async (right: Parameters<RightsService['canRead']>[1]) => ((await this.rights.canRead(actor, right, batch)) ? WHOLE : null);
    if (entityType === 'allocation') return this.sift(await this.rows.rightsOfAllocations(this.db.manager, ids), (r) => r.allocation_id, rule);
    return this.sift(await this.rows.findMany(this.db.manager, ids), (r) => r.id, rule);
  }

  /** The holder of the right, and regulators over its region. */
  async audience(entityType: 'right' | 'allocation', ids: readonly string[]): Promise<ReadonlyMap<string, readonly AudienceKey[]>> {
    const of = (r: { holder_id: string; region_code: string }) => audienceOf([r.holder_id], [r.region_code]);
    if (entityType === 'allocation') return new Map((await this.rows.rightsOfAllocations(this.db.manager, ids)).map((r) => [r.allocation_id, of(r)]));
    return new Map((await this.rows.findMany(this.db.manager, ids)).map((r) => [r.id, of(r)]));
  }

  /** A right and each of its allocations by the right's region. */
  async auditRegions(entityType: 'right' | 'allocation', ids: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    if (entityType === 'allocation') return this.regionsBy(await this.rows.rightsOfAllocations(this.db.manager, ids), (r) => r.allocation_id, (r) => [r.region_code]);
    return this.regionsBy(await this.rows.findMany(this.db.manager, ids), (r) => r.id, (r) => [r.region_code]);
  }
}
