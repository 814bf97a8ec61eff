import { Dec } from '../../../src/core/decimal';
import { drawDown } from '../../../src/core/ledger/movements';
import { pendingHold } from './support/ledger-helpers';

describe('drawDown', () => {
  it('keeps a hold pending while anything is left', () => {
    const after = drawDown(pendingHold('10'), new Dec('9.99'), 'POSTED');
    expect(after.status).toBe('PENDING');
    expect(after.remaining.toFixed()).toBe('0.01');
  });

  it('ends the hold as posted or voided when nothing is left', () => {
    expect(drawDown(pendingHold('10'), new Dec(10), 'POSTED').status).toBe('POSTED');
    expect(drawDown(pendingHold('10'), new Dec(10), 'VOIDED').status).toBe('VOIDED');
  });

  it('never edits the hold it was given', () => {
    const hold = pendingHold('10');
    drawDown(hold, new Dec(4), 'POSTED');
    expect(hold.remaining.toFixed()).toBe('10');
    expect(hold.status).toBe('PENDING');
    expect(hold.amount.toFixed()).toBe('10');
  });
});
