import type { ParticipantKind, UseType } from '../../modules/participants/participant.entity';

/** The authenticated caller, as every service sees it. */
export interface Actor {
  participantId: string;
  kind: ParticipantKind;
  regionCode: string;
  useType: UseType | null;
  keyId: string;
}
