/** The document's tags, in the order a reader meets them (API.md's sections). */
export const TAGS = {
  participants: { name: 'participants', description: 'Participants, their kinds and API keys' },
  regions: { name: 'regions and caps (用水总量控制)', description: 'The region tree and yearly caps; a region\'s figures cover it and every region below' },
  rights: { name: 'water rights registry (用水权)', description: 'Rights and the yearly allocations that credit quota' },
  cash: { name: 'cash and balances', description: 'Deposits, withdrawals, balances and the ledger' },
  markets: { name: 'markets and orders (挂牌交易)', description: 'One market per instrument; limit orders matched by price-time priority' },
  trades: { name: 'trades, approval and settlement (审批与清算)', description: 'Trades with their checks; approval, rejection and settlement' },
  transfers: { name: 'negotiated transfers (协议转让)', description: 'Quota transferred to a named buyer' },
  auctions: {
    name: 'auctions (挂牌竞价, 收储)',
    description: 'Listings and buy-back tenders on sealed bids; each allocation at the close becomes an ordinary trade',
  },
  rightTransfers: { name: 'transfers of rights (取水权交易)', description: 'Part of a right for whole years to a named buyer; the registry follows on approval' },
  regionalTrades: { name: 'regional water-rights trades (区域水权交易)', description: 'Cap traded between regions for a term: announced, sealed interests, the close, approval by the common upper level' },
  projects: { name: 'contract water-saving (合同节水管理)', description: 'Projects, readings, statements and certification into quota' },
  public: { name: 'public information (交易信息公开)', description: 'Markets, the settled tape, announcements and the price index; no API key, limited per client address' },
  reports: { name: 'reports for regulators (统计)', description: 'Trades, caps, savings and long-term deals of a region and year, as JSON or CSV' },
  events: { name: 'events and webhooks', description: 'Audit entries the caller may see, by long poll or pushed to signed webhooks' },
  audit: { name: 'audit log', description: 'The tamper-evident hash chain of every state change' },
  operations: { name: 'operations', description: 'Health, metrics and this document; no API key' },
} as const;
