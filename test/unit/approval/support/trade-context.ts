import type { TradeCheckContext } from '../../../../src/core/approval';

/**
 * A cross-county trade in 赤峰市 (150400): an irrigation district in 阿鲁科尔沁旗 (150421)
 * sells 2026 surface quota to an enterprise in 松山区 (150404). No caps, no overdraft,
 * no use change: every check passes. Each spec changes only what its case is about.
 */
export const crossCountyTrade = (overrides: Partial<TradeCheckContext> = {}): TradeCheckContext => ({
  source: 'SURFACE',
  year: 2026,
  today: '2026-03-15',
  volume: '5000',
  seller: { regionCode: '150421', useType: 'AGRICULTURE' },
  buyer: { regionCode: '150404', useType: 'AGRICULTURE' },
  buyerRegionChain: [
    { code: '150404', groundwaterOverdraft: false, headroom: null },
    { code: '150400', groundwaterOverdraft: false, headroom: null },
    { code: '150000', groundwaterOverdraft: false, headroom: null },
  ],
  sellerRegionChain: ['150421', '150400', '150000'],
  ...overrides,
});
