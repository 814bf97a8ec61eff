export { headroom, firstCapBreached, firstCapExhausted, type CapFigures, type CappedRegion } from './headroom';
export { regionChain, isWithin, lowestCommonAncestor, type RegionParents } from './region-parents';
export { regionsEntered } from './regions-entered';
export { firstCapBreachedByMove, type CapYearHeadroom, type MoveBreach } from './region-move';
export { regionalTradePath, type RegionalTradePath } from './regional-trade-path';
export { regionalCapTerms, type RegionalCapTerms, type RegionalTradeFacts, type RegionalTradeStatus } from './regional-cap-terms';
export { capHeadroom, capView, effectiveCap, type CapBase, type CapBook, type CapView } from './cap-book';
export {
  announcementRefusal,
  interestRegionRefusal,
  approvalShortfalls,
  approvalRefusal,
  type CapShortfall,
  type RegionalTradeTerms,
} from './regional-trade-checks';
