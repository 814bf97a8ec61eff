import { regionsEntered } from '../../../src/core/caps';

// 内蒙古 150000 → 赤峰市 150400 → 阿鲁科尔沁旗 150421 and 巴林左旗 150422; 包头市 150200.
const chain = (code: string): string[] =>
  ({ '150421': ['150421', '150400', '150000'], '150422': ['150422', '150400', '150000'], '150200': ['150200', '150000'] })[code]!;

describe('regionsEntered: the buyer-side regions whose figures a trade changes', () => {
  it('is none for a trade inside one county: every region above the buyer is above the seller', () => {
    expect(regionsEntered(chain('150421'), chain('150421'))).toEqual([]);
  });

  it('is the buyer\'s county alone between two counties of one city', () => {
    expect(regionsEntered(chain('150422'), chain('150421'))).toEqual(['150422']);
  });

  it('is the buyer\'s county and city between two cities of one province, and keeps the chain\'s order', () => {
    expect(regionsEntered(chain('150421'), chain('150200'))).toEqual(['150421', '150400']);
  });

  it('takes regions as codes or as objects with a code, and answers in kind', () => {
    const flagged = chain('150422').map((code) => ({ code, headroom: '10' }));
    expect(regionsEntered(flagged, chain('150421'))).toEqual([{ code: '150422', headroom: '10' }]);
  });
});
