import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ParticipantKind } from '../../modules/participants/participant.entity';
import { RegionTree } from '../../modules/regions/region-tree';
import { coversRegion } from '../../core/jurisdiction';
import { DomainError } from '../errors/domain-error';
import { Actor } from './actor';
import { JURISDICTION_KEY, JurisdictionRule, PUBLIC_KEY, ROLES_KEY } from './decorators';

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly tree: RegionTree) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest();
    const actor: Actor = req.user;
    const roles = this.reflector.getAllAndOverride<ParticipantKind[]>(ROLES_KEY, targets);
    if (roles && !roles.includes(actor.kind)) {
      throw DomainError.forbidden(`A ${actor.kind} may not use this endpoint (allowed: ${roles.join(', ')})`);
    }
    const rule = this.reflector.getAllAndOverride<JurisdictionRule>(JURISDICTION_KEY, targets);
    if (rule) await this.checkJurisdiction(actor, String(req.params[rule.param] ?? ''), rule);
    return true;
  }

  private async checkJurisdiction(actor: Actor, regionCode: string, rule: JurisdictionRule): Promise<void> {
    if (actor.kind === 'OPERATOR') return;
    if (actor.kind !== 'REGULATOR') throw DomainError.forbidden('Only the operator or a regulator with jurisdiction may do this');
    const chain = /^\d{6}$/.test(regionCode) ? await this.tree.chain(regionCode) : [];
    if (chain.length === 0) throw DomainError.notFound(`Region ${regionCode}`);
    if (!coversRegion(actor.regionCode, chain, rule.strict)) {
      throw DomainError.forbidden(
        rule.strict && chain[0] === actor.regionCode
          ? `A regulator may not act on its own region ${regionCode}; the level above does`
          : `Region ${regionCode} is outside the jurisdiction of region ${actor.regionCode}`,
      );
    }
  }
}
