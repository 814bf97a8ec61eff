export { SALT_HEX_LENGTH, bidCommitment, isSalt, newSalt, type CommittedFields, type RandomBytes } from './commitment';
export {
  verifyCommitments,
  type CommitmentEntry,
  type CommitmentReport,
  type CommitmentVerdict,
  type PublishedBid,
} from './verify-commitments';
