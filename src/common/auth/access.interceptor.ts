import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { coversRegion } from '../../core/jurisdiction';
import type { ParticipantKind } from '../../core/participants/participant-kind';
import { isRegionCode } from '../../core/regions/region-code';
import { DomainError } from '../errors/domain-error';
import { Actor } from './actor';
import { JURISDICTION_KEY, JurisdictionRule, PUBLIC_KEY, ROLES_KEY } from './decorators';
import { RegionChains } from './region-chains';

/**
 * Role and jurisdiction checks (`@Roles`, `@OperatorOrRegulatorOf`). An interceptor rather
 * than a guard, and registered inside the idempotency interceptor, so a 403 under an
 * Idempotency-Key is stored and replayed like any other 4xx (API.md).
 */
@Injectable()
export class AccessInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector, private readonly tree: RegionChains) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    await this.check(context);
    return next.handle();
  }

  private async check(context: ExecutionContext): Promise<void> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return;
    const req = context.switchToHttp().getRequest<Request>();
    const actor = req.user as Actor;
    const roles = this.reflector.getAllAndOverride<ParticipantKind[]>(ROLES_KEY, targets);
    if (roles && !roles.includes(actor.kind)) {
      throw DomainError.forbidden(`A ${actor.kind} may not use this endpoint (allowed: ${roles.join(', ')})`);
    }
    const rule = this.reflector.getAllAndOverride<JurisdictionRule>(JURISDICTION_KEY, targets);
    if (rule) await this.checkJurisdiction(actor, String(req.params[rule.param] ?? ''), rule);
  }

  private async checkJurisdiction(actor: Actor, regionCode: string, rule: JurisdictionRule): Promise<void> {
    if (actor.kind === 'OPERATOR') return;
    if (actor.kind !== 'REGULATOR') throw DomainError.forbidden('Only the operator or a regulator with jurisdiction may do this');
    const chain = isRegionCode(regionCode) ? await this.tree.chain(regionCode) : [];
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
