export * from './auction.types';
export { creatorLock, bidLock, type LockAmount } from './auction-locks';
export { defaultPricing } from './clearing-price';
export { compareBids, rankBids, type RankedBid } from './ranking';
export { closeAuction, type CloseInput } from './close-auction';
export { blockingChecksAtClose, type CheckBasis } from './close-checks';
export {
  validateAuctionCreation,
  bidRefusal,
  withdrawalRefusal,
  closeRefusal,
  cancelRefusal,
  type AuctionMarket,
  type AuctionRequest,
  type AuctionCreation,
  type AuctionState,
} from './auction-validation';
