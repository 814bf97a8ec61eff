import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { ParticipantKind } from '../../core/participants/participant-kind';
import { Actor } from './actor';

export const PUBLIC_KEY = 'auth:public';
export const PUBLIC_INFORMATION_KEY = 'auth:public-information';
export const ROLES_KEY = 'auth:roles';
export const JURISDICTION_KEY = 'auth:jurisdiction';

/** No API key needed (health, metrics). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/**
 * The public information pages (交易信息公开): no API key (an Authorization header is
 * ignored), limited per client address instead (PUBLIC_RATE_LIMIT_PER_MINUTE).
 */
export const PublicInformation = () => applyDecorators(Public(), SetMetadata(PUBLIC_INFORMATION_KEY, true));

/** Only these participant kinds may call the endpoint (403 otherwise). */
export const Roles = (...kinds: ParticipantKind[]) => SetMetadata(ROLES_KEY, kinds);

export interface JurisdictionRule {
  /** Route parameter holding the target region code. */
  param: string;
  /** The regulator's own region does not count (caps are set from above). */
  strict?: boolean;
}

/**
 * Role + jurisdiction in one decorator: the operator passes; a regulator passes when the
 * region named by the route parameter is in its jurisdiction; every other kind gets 403.
 */
export const OperatorOrRegulatorOf = (rule: JurisdictionRule) => SetMetadata(JURISDICTION_KEY, rule);

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => ctx.switchToHttp().getRequest<Request>().user as Actor);
