import { Injectable } from '@nestjs/common';
import { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { Db } from '../../database/db.service';
import { AuditService } from '../audit/audit.service';
import { PutRegionDto, RegionView } from './region.dto';
import { RegionTree } from './region-tree';

const regionState = (r: any) => ({
  code: r.code,
  name: r.name,
  parentCode: r.parent_code,
  groundwaterOverdraft: r.groundwater_overdraft,
});

@Injectable()
export class RegionsService {
  constructor(private readonly db: Db, private readonly tree: RegionTree, private readonly audit: AuditService) {}

  async get(code: string): Promise<RegionView> {
    const [row] = /^\d{6}$/.test(code) ? await this.db.query('SELECT * FROM regions WHERE code = $1', [code]) : [];
    if (!row) throw DomainError.notFound(`Region ${code}`);
    return { ...regionState(row), children: await this.tree.children(code) };
  }

  /** Creates or updates; moving a region re-shapes every jurisdiction above it, so it is guarded and audited. */
  async put(actor: Actor, code: string, dto: PutRegionDto): Promise<{ created: boolean; region: RegionView }> {
    if (!/^\d{6}$/.test(code)) throw DomainError.validation([{ field: 'code', message: 'must be a 6-digit region code' }]);
    const outcome = await this.db.transaction(async (tx) => {
      // Serialises tree edits so two concurrent moves cannot build a cycle between them.
      await tx.query('SELECT pg_advisory_xact_lock(7301002)');
      const [before] = await tx.query('SELECT * FROM regions WHERE code = $1 FOR UPDATE', [code]);
      const parentCode = dto.parentCode === undefined ? (before?.parent_code ?? null) : dto.parentCode;
      if (parentCode !== null) {
        const parentChain = await this.tree.chain(parentCode, tx);
        if (parentChain.length === 0) throw DomainError.validation([{ field: 'parentCode', message: `region ${parentCode} does not exist` }]);
        if (parentChain.includes(code)) {
          throw DomainError.validation([{ field: 'parentCode', message: `region ${code} cannot move under itself or its descendant ${parentCode}` }]);
        }
      }
      const overdraft = dto.groundwaterOverdraft ?? before?.groundwater_overdraft ?? false;
      // Nothing changes, nothing is written: the audit log records changes, not requests.
      if (before && before.name === dto.name && before.parent_code === parentCode && before.groundwater_overdraft === overdraft) {
        return { created: false };
      }
      const [row] = await tx.query(
        `INSERT INTO regions (code, name, parent_code, groundwater_overdraft) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code,
           groundwater_overdraft = EXCLUDED.groundwater_overdraft, updated_at = now()
         RETURNING *`,
        [code, dto.name, parentCode, overdraft],
      );
      await this.audit.append(tx, actor.participantId, before ? 'region.updated' : 'region.created', 'region', code,
        before ? regionState(before) : null, regionState(row));
      return { created: !before };
    });
    return { created: outcome.created, region: await this.get(code) };
  }
}
