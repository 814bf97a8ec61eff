import type { ParticipantKind } from '../../core/participants/participant-kind';
import type { UseType } from '../../core/water';

/** The authenticated caller, as every service sees it. */
export interface Actor {
  participantId: string;
  kind: ParticipantKind;
  regionCode: string;
  useType: UseType | null;
  keyId: string;
}
