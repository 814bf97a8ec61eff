import type { ParticipantKind } from '../../core/participants/participant-kind';

/** 节水服务企业: the party that invests and is paid out of verified savings. */
export const SERVICE_COMPANY_KINDS: readonly ParticipantKind[] = ['SERVICE_COMPANY'];

/**
 * 用水户: the party whose use is metered and to whom certified savings are issued as quota.
 * A RESERVE buys back rights rather than using water, and a SERVICE_COMPANY is the other side
 * of the contract, so neither can be the water user.
 */
export const WATER_USER_KINDS: readonly ParticipantKind[] = ['ENTERPRISE', 'IRRIGATION_DISTRICT', 'WATER_USER'];

/** The kinds that may act as a party: create projects, record readings, confirm statements. */
export const PARTY_KINDS: ParticipantKind[] = [...SERVICE_COMPANY_KINDS, ...WATER_USER_KINDS];

export interface Parties {
  service_company_id: string;
  water_user_id: string;
}

export const isParty = (participantId: string, project: Parties): boolean =>
  participantId === project.service_company_id || participantId === project.water_user_id;
