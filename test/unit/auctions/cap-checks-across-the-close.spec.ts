import type { MarketApprovalPolicy } from '../../../src/core/approval';
import { blockingChecksAtClose, type CheckBasis, type SealedBid } from '../../../src/core/auctions';
import { allocated, bid, close, sellListing, statusOf } from './support/auctions';

/**
 * A district in 阿鲁科尔沁旗 (150421) lists saved water; bidders sit in 松山区 (150404), whose
 * 2026 cap leaves 1 000 m³ of headroom, or in 包头市 (150200), uncapped. The close creates its
 * trades in ranking order, so in a market that settles trades as they open, the first
 * winner in 150404 has used up headroom before the second is checked.
 */
const FILING: MarketApprovalPolicy = { approvalMode: 'FILING', autoApproveMaxVolume: null };
const APPROVAL: MarketApprovalPolicy = { approvalMode: 'APPROVAL', autoApproveMaxVolume: null };

const sellerSide = { regionCode: '150421', useType: 'AGRICULTURE' as const };
const regionOf: Record<string, string> = { A: '150404', B: '150404', C: '150200' };

function basisOf(b: SealedBid, buyerUse: 'AGRICULTURE' | 'INDUSTRY' = 'AGRICULTURE'): CheckBasis {
  const region = regionOf[b.id];
  const capped = region === '150404';
  return {
    source: 'SURFACE',
    year: 2026,
    today: '2026-06-01',
    seller: sellerSide,
    buyer: { regionCode: region, useType: buyerUse },
    buyerRegionChain: [
      { code: region, groundwaterOverdraft: false, headroom: capped ? '1000' : null },
      { code: region.slice(0, 4) + '00', groundwaterOverdraft: false, headroom: null },
      { code: '150000', groundwaterOverdraft: false, headroom: null },
    ],
    sellerRegionChain: ['150421', '150400', '150000'],
  };
}

const bids = () => [bid('A', '2.50', '600'), bid('B', '2.40', '600'), bid('C', '2.10', '600')];

describe('cap checks across the trades of one close', () => {
  it('in a filing market, a winner that settles at once leaves less headroom for the next one in its region', () => {
    const outcome = close(sellListing({ volume: '1200' }), bids(), { passesBlockingChecks: blockingChecksAtClose(FILING, (b) => basisOf(b)) });
    expect(allocated(outcome).map(([id, volume]) => [id, volume])).toEqual([
      ['A', '600'],
      ['C', '600'],
    ]);
    expect(statusOf(outcome, 'B')).toMatchObject({ status: 'UNFILLED', skipped: 'CHECK_FAILED' });
  });

  it('offered only what is left of the headroom, the next one in the region fits', () => {
    const outcome = close(sellListing({ volume: '1000' }), [bid('A', '2.50', '600'), bid('B', '2.40', '600')], {
      passesBlockingChecks: blockingChecksAtClose(FILING, (b) => basisOf(b)),
    });
    expect(allocated(outcome).map(([id, volume]) => [id, volume])).toEqual([
      ['A', '600'],
      ['B', '400'],
    ]);
  });

  it('when trades wait for a regulator nothing moves, so each is checked against the same headroom', () => {
    const outcome = close(sellListing({ volume: '1200' }), bids(), { passesBlockingChecks: blockingChecksAtClose(APPROVAL, (b) => basisOf(b)) });
    expect(allocated(outcome).map(([id, volume]) => [id, volume])).toEqual([
      ['A', '600'],
      ['B', '600'],
    ]);
  });

  it('a trade that a WARN keeps from filing moves no figure either (农转非 waits for approval)', () => {
    const outcome = close(sellListing({ volume: '1200' }), bids(), {
      passesBlockingChecks: blockingChecksAtClose(FILING, (b) => basisOf(b, 'INDUSTRY')),
    });
    expect(allocated(outcome).map(([id]) => id)).toEqual(['A', 'B']);
  });

  it('auto-approval counts only trades within autoApproveMaxVolume', () => {
    const small: MarketApprovalPolicy = { approvalMode: 'APPROVAL', autoApproveMaxVolume: '500' };
    const large: MarketApprovalPolicy = { approvalMode: 'APPROVAL', autoApproveMaxVolume: '600' };
    const withPolicy = (policy: MarketApprovalPolicy) =>
      allocated(close(sellListing({ volume: '1200' }), bids(), { passesBlockingChecks: blockingChecksAtClose(policy, (b) => basisOf(b)) })).map(([id]) => id);
    expect(withPolicy(small)).toEqual(['A', 'B']);
    expect(withPolicy(large)).toEqual(['A', 'C']);
  });

  it('replays only the bids the walk admitted: one it skipped later (for funds) moves nothing', () => {
    const verdict = blockingChecksAtClose(FILING, (b) => basisOf(b));
    const [a, b, c] = bids();
    expect(verdict(a, '600', [])).toBe(true);
    // The walk then skipped A for funds, so B is asked with nobody admitted before it.
    expect(verdict(b, '600', [])).toBe(true);
    expect(verdict(c, '600', [{ bid: b, volume: '600' }])).toBe(true);
    expect(verdict(a, '600', [{ bid: b, volume: '600' }])).toBe(false);
  });

  it('belongs to one close: a shorter list of admitted bids than it has seen is a caller\'s bug', () => {
    const verdict = blockingChecksAtClose(FILING, (b) => basisOf(b));
    const [a, b] = bids();
    expect(verdict(b, '600', [{ bid: a, volume: '600' }])).toBe(false);
    expect(() => verdict(b, '600', [])).toThrow(RangeError);
  });
});
