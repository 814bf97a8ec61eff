import { Dec } from '../../../src/core/decimal';
import { CappedRegion, firstCapBreached, firstCapExhausted, headroom } from '../../../src/core/caps/headroom';

const chain = (...rooms: [string, string | null][]): CappedRegion[] => rooms.map(([code, h]) => ({ code, headroom: h === null ? null : new Dec(h) }));

describe('headroom', () => {
  it('is cap − allocated − transferred in + transferred out', () => {
    expect(headroom({ totalCap: '1000', allocated: '600', transferredIn: '50', transferredOut: '20' })!.toFixed()).toBe('370');
  });

  it('goes negative when a cap is lowered below use', () => {
    expect(headroom({ totalCap: '100', allocated: '150', transferredIn: '0', transferredOut: '0' })!.toFixed()).toBe('-50');
  });

  it('is null without a cap', () => {
    expect(headroom({ totalCap: null, allocated: '150', transferredIn: '0', transferredOut: '0' })).toBeNull();
  });
});

// An allocation must fit its county and every capped region above it, nearest first.
describe('firstCapBreached', () => {
  it('passes when every capped region has room, uncapped ones ignored', () => {
    expect(firstCapBreached(chain(['150421', '500'], ['150400', null], ['150000', '10000']), '500')).toBeNull();
  });

  it('names the county when the county is short', () => {
    expect(firstCapBreached(chain(['150421', '499.999'], ['150400', '1000']), '500')?.code).toBe('150421');
  });

  it('names a capped ancestor when only it is short', () => {
    expect(firstCapBreached(chain(['150421', null], ['150400', '100'], ['150000', '50']), '200')?.code).toBe('150400');
    expect(firstCapBreached(chain(['150421', null], ['150400', null], ['150000', '50']), '50.001')?.code).toBe('150000');
  });

  it('refuses everything under a negative headroom', () => {
    expect(firstCapBreached(chain(['150421', '-1']), '0.001')?.code).toBe('150421');
  });

  it('fits nothing into an empty chain of caps', () => {
    expect(firstCapBreached(chain(['150421', null]), '1e9')).toBeNull();
  });
});

describe('firstCapExhausted (限审限批)', () => {
  it('is clear while every capped region has some headroom', () => {
    expect(firstCapExhausted(chain(['150421', '0.001'], ['150400', null]))).toBeNull();
  });

  it('freezes at exactly zero headroom, in the region or above it', () => {
    expect(firstCapExhausted(chain(['150421', '0'], ['150400', '10']))?.code).toBe('150421');
    expect(firstCapExhausted(chain(['150421', '10'], ['150400', '0']))?.code).toBe('150400');
    expect(firstCapExhausted(chain(['150421', null], ['150400', '-5']))?.code).toBe('150400');
  });
});
