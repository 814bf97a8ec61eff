import { firstCapBreached, firstCapExhausted, headroom } from '../../../src/core/caps/headroom';
import { Dec } from '../../../src/core/decimal';

const capped = (code: string, room: string | null) => ({ code, headroom: room === null ? null : new Dec(room) });

describe('cap headroom (用水总量控制)', () => {
  it('is totalCap − allocated − transferredIn + transferredOut', () => {
    expect(headroom({ totalCap: '1000', allocated: '300', transferredIn: '200', transferredOut: '50' })!.toFixed()).toBe('550');
  });

  it('is the whole cap when nothing was issued or moved', () => {
    expect(headroom({ totalCap: '196740000', allocated: '0', transferredIn: '0', transferredOut: '0' })!.toFixed()).toBe('196740000');
  });

  it('is none without a cap', () => {
    expect(headroom({ totalCap: null, allocated: '300', transferredIn: '0', transferredOut: '0' })).toBeNull();
  });

  it('can go negative when a cap is lowered below what was issued', () => {
    expect(headroom({ totalCap: '100', allocated: '120.5', transferredIn: '0', transferredOut: '0' })!.toFixed()).toBe('-20.5');
  });

  it('is exact to the litre at 15 integer digits', () => {
    expect(headroom({ totalCap: '999999999999999.999', allocated: '0.001', transferredIn: '0.001', transferredOut: '0.002' })!.toFixed()).toBe(
      '999999999999999.999',
    );
  });

  describe('an issuance must fit every capped region from its own up', () => {
    const chain = [capped('150421', '500'), capped('150400', null), capped('150000', '100')];

    it('names the nearest region it does not fit', () => {
      expect(firstCapBreached([capped('150421', '5'), capped('150400', '1')], '10')?.code).toBe('150421');
    });

    it('skips regions without a cap and finds a breach above', () => {
      expect(firstCapBreached(chain, '200')?.code).toBe('150000');
    });

    it('fits when the volume exactly fills the headroom', () => {
      expect(firstCapBreached(chain, '100')).toBeNull();
    });

    it('fits anything where no region is capped', () => {
      expect(firstCapBreached([capped('150421', null), capped('150000', null)], '1e12')).toBeNull();
    });
  });

  describe('限审限批: no new rights once a capped region has no headroom left', () => {
    it('stops at a region whose headroom is exactly zero', () => {
      expect(firstCapExhausted([capped('150421', '10'), capped('150400', '0')])?.code).toBe('150400');
    });

    it('stops at a negative headroom', () => {
      expect(firstCapExhausted([capped('150421', '-0.001')])?.code).toBe('150421');
    });

    it('allows while every capped region has some headroom', () => {
      expect(firstCapExhausted([capped('150421', '0.001'), capped('150400', null)])).toBeNull();
    });
  });
});
