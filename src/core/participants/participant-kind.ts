/** Who takes part in the exchange (API.md, Participants). */
export const PARTICIPANT_KINDS = ['OPERATOR', 'REGULATOR', 'ENTERPRISE', 'IRRIGATION_DISTRICT', 'SERVICE_COMPANY', 'WATER_USER', 'RESERVE'] as const;
export type ParticipantKind = (typeof PARTICIPANT_KINDS)[number];

/**
 * Kinds that hold water rights and quota, and so trade them: water users, not the bodies
 * that regulate or run the market.
 */
export const HOLDER_KINDS = ['ENTERPRISE', 'IRRIGATION_DISTRICT', 'SERVICE_COMPANY', 'WATER_USER', 'RESERVE'] as const satisfies readonly ParticipantKind[];
