import { Dec } from '../../../src/core/decimal';
import { firstCapBreachedByMove } from '../../../src/core/caps';

const h = (code: string, year: number, headroom: string | null) => ({ code, year, headroom: headroom === null ? null : new Dec(headroom) });

describe('firstCapBreachedByMove', () => {
  it('lets a move leave every entered cap at zero or above', () => {
    expect(firstCapBreachedByMove([h('140100', 2036, '100')], [h('140100', 2036, '0')])).toBeNull();
  });

  it('refuses a move that takes a cap below zero, to the litre', () => {
    const breach = firstCapBreachedByMove([h('140100', 2036, '100')], [h('140100', 2036, '-0.001')]);
    expect(breach).toMatchObject({ code: '140100', year: 2036 });
    expect(breach!.before.toString()).toBe('100');
    expect(breach!.after.toString()).toBe('-0.001');
  });

  it('lets a region already over its cap take one that lowers or keeps its use, not one that raises it', () => {
    expect(firstCapBreachedByMove([h('140300', 2036, '-10')], [h('140300', 2036, '-5')])).toBeNull();
    expect(firstCapBreachedByMove([h('140300', 2036, '-10')], [h('140300', 2036, '-10')])).toBeNull();
    expect(firstCapBreachedByMove([h('140300', 2036, '-10')], [h('140300', 2036, '-10.001')])).not.toBeNull();
  });

  it('names the earliest year first, then the lowest region code', () => {
    const before = [h('140100', 2037, '5'), h('140000', 2037, '5'), h('140100', 2036, '5')];
    const after = [h('140100', 2037, '-1'), h('140000', 2037, '-1'), h('140100', 2036, '-1')];
    expect(firstCapBreachedByMove(before, after)).toMatchObject({ code: '140100', year: 2036 });
    expect(firstCapBreachedByMove(before.slice(0, 2), after.slice(0, 2))).toMatchObject({ code: '140000', year: 2037 });
  });

  it('ignores regions without a cap', () => {
    expect(firstCapBreachedByMove([h('140100', 2036, null)], [h('140100', 2036, null)])).toBeNull();
  });
});
