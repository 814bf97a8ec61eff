import { headroom } from '../../../src/core/caps/headroom';

describe('headroom with the regional-trade terms', () => {
  const v1 = { totalCap: '1000', allocated: '300', transferredIn: '200', transferredOut: '50' };

  it('is the v1 figure while no regional trade exists', () => {
    expect(headroom(v1)!.toFixed()).toBe('550');
    expect(headroom({ ...v1, capTransferredIn: '0', capTransferredOut: '0', capReservedOut: '0' })!.toFixed()).toBe('550');
  });

  it('is totalCap + capTransferredIn − capTransferredOut − capReservedOut − allocated − transferredIn + transferredOut', () => {
    expect(headroom({ ...v1, capTransferredIn: '100', capTransferredOut: '40', capReservedOut: '25.5' })!.toFixed()).toBe('584.5');
  });

  it('is none without a cap, whatever the regional terms', () => {
    expect(headroom({ ...v1, totalCap: null, capTransferredIn: '100' })).toBeNull();
  });
});
