import { decideOnCreation, type MarketApprovalPolicy, type TradeCheck } from '../../../src/core/approval';

const check = (rule: TradeCheck['rule'], severity: TradeCheck['severity'], passed: boolean): TradeCheck => ({
  rule,
  severity,
  passed,
  detail: '',
});
const clean = [
  check('BUYER_REGION_CAP', 'BLOCK', true),
  check('GROUNDWATER_OVERDRAFT', 'BLOCK', true),
  check('USE_CONVERSION', 'WARN', true),
  check('RIGHT_VALIDITY', 'BLOCK', true),
];
const warned = clean.map((c) => (c.rule === 'USE_CONVERSION' ? { ...c, passed: false } : c));
const blocked = clean.map((c) => (c.rule === 'BUYER_REGION_CAP' ? { ...c, passed: false } : c));

const filing: MarketApprovalPolicy = { approvalMode: 'FILING', autoApproveMaxVolume: null };
const approval = (autoApproveMaxVolume: string | null): MarketApprovalPolicy => ({ approvalMode: 'APPROVAL', autoApproveMaxVolume });

describe('deciding a trade as it is created', () => {
  describe('in a filing market', () => {
    it('files a trade whose checks all pass, whatever its volume', () => {
      expect(decideOnCreation(filing, '9999999', clean)).toBe('FILED');
    });

    it('sends a trade with a warning to a regulator', () => {
      expect(decideOnCreation(filing, '10', warned)).toBeNull();
    });

    it('sends a trade with a blocking failure to a regulator', () => {
      expect(decideOnCreation(filing, '10', blocked)).toBeNull();
    });

    it('files rather than auto-approves when the market also has an auto-approval limit', () => {
      expect(decideOnCreation({ approvalMode: 'FILING', autoApproveMaxVolume: '100' }, '10', clean)).toBe('FILED');
    });
  });

  describe('in an approval market', () => {
    it('waits for a regulator when there is no auto-approval limit', () => {
      expect(decideOnCreation(approval(null), '1', clean)).toBeNull();
    });

    it('auto-approves a clean trade under the limit', () => {
      expect(decideOnCreation(approval('1000'), '999.999', clean)).toBe('AUTO_APPROVED');
    });

    it('auto-approves a clean trade exactly at the limit', () => {
      expect(decideOnCreation(approval('1000'), '1000.000', clean)).toBe('AUTO_APPROVED');
    });

    it('waits for a regulator when the trade is over the limit', () => {
      expect(decideOnCreation(approval('1000'), '1000.001', clean)).toBeNull();
    });

    it('waits for a regulator when a check warns, even under the limit', () => {
      expect(decideOnCreation(approval('1000'), '10', warned)).toBeNull();
    });

    it('waits for a regulator when a check blocks, even under the limit', () => {
      expect(decideOnCreation(approval('1000'), '10', blocked)).toBeNull();
    });
  });
});
