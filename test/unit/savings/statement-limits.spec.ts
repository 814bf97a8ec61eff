import { statementLimitProblem } from '../../../src/core/savings';
import type { SavingsStatement } from '../../../src/core/savings';

const statement = (fields: Partial<SavingsStatement>): SavingsStatement => ({
  baselineVolume: '1000', actualVolume: '800', savedVolume: '200', savedValue: '800.00',
  serviceCompanyAmount: '560.00', waterUserAmount: '240.00', shortfallVolume: '0', compensation: '0.00', ...fields,
});

describe('a statement fits the contract’s decimals (15 integer digits)', () => {
  it('accepts figures up to the last fen below 10^15 CNY, negative ones included', () => {
    expect(statementLimitProblem(statement({}), 'FIXED')).toBeNull();
    expect(statementLimitProblem(statement({ savedValue: '999999999999999.99', serviceCompanyAmount: '-999999999999999.99' }), 'FIXED')).toBeNull();
  });

  it('refuses 10^15 CNY in any amount, naming the reading’s volume, or its output under the intensity method', () => {
    for (const field of ['savedValue', 'serviceCompanyAmount', 'waterUserAmount', 'compensation'] as const) {
      for (const value of ['1000000000000000.00', '-1000000000000000.00', '99999999999899999900000.00']) {
        expect(statementLimitProblem(statement({ [field]: value }), 'FIXED')).toEqual({ field: 'volume', message: expect.stringMatching(/10\^15 CNY/) });
        expect(statementLimitProblem(statement({ [field]: value }), 'INTENSITY')).toMatchObject({ field: 'output' });
      }
    }
  });

  it('refuses a baseline of 10^15 m³ or more before its worth', () => {
    expect(statementLimitProblem(statement({ baselineVolume: '1000000000000000', savedValue: '1000000000000000.00' }), 'INTENSITY')).toEqual({
      field: 'output', message: expect.stringMatching(/baseline of 10\^15 m³/),
    });
  });
});
