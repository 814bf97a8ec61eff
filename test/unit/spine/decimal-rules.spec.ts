import { DECIMAL_SCALE, decimalProblem, DecimalRule, MAX_DECIMAL_LENGTH } from '../../../src/core/decimal-rules';

const volume: DecimalRule = { kind: 'volume' };
const price: DecimalRule = { kind: 'price' };
const amount: DecimalRule = { kind: 'amount' };
const rate: DecimalRule = { kind: 'rate' };

const accepts = (value: unknown, rule: DecimalRule) => expect(decimalProblem(value, rule)).toBeNull();
const rejects = (value: unknown, rule: DecimalRule, why: RegExp) => expect(decimalProblem(value, rule)).toMatch(why);

describe('decimal strings of the public contract', () => {
  it('knows the scale of each kind: litres, 4-decimal prices, fen', () => {
    expect(DECIMAL_SCALE).toMatchObject({ volume: 3, price: 4, amount: 2 });
  });

  describe('volume (m³, litre precision)', () => {
    it.each(['60000', '12.5', '0.001', '1', '999999999999999.999'])('accepts %s', (v) => accepts(v, volume));

    it('rejects a fourth significant decimal', () => rejects('0.0001', volume, /at most 3 decimals/));

    it('accepts trailing zeros past the scale, since "60000.000" is "60000"', () => {
      accepts('60000.000', volume);
      accepts('1.0000000', volume);
      accepts('1.2340', volume);
      rejects('1.2341', volume, /at most 3 decimals/);
    });
  });

  describe('price (CNY per m³)', () => {
    it('accepts up to 4 decimals', () => accepts('0.8512', price));
    it('rejects a fifth decimal', () => rejects('0.85123', price, /at most 4 decimals/));
    it('accepts a fifth decimal that is a trailing zero', () => accepts('0.85120', price));
  });

  describe('amount (CNY)', () => {
    it('accepts fen', () => accepts('51000.00', amount));
    it('rejects fractions of a fen', () => rejects('1.005', amount, /at most 2 decimals/));
    it('accepts "1.000" as 1 yuan', () => accepts('1.000', amount));
  });

  describe('rate (a fraction in [0, 1))', () => {
    it.each(['0', '0.0', '0.005', '0.25', '0.999999'])('accepts %s', (v) => accepts(v, rate));
    it.each(['1', '1.0', '1.000001', '2'])('rejects %s as not below 1', (v) => rejects(v, rate, /\[0, 1\)/));
    it('rejects more decimals than its scale', () => rejects('0.0000001', rate, /at most 6 decimals/));
  });

  describe('zero', () => {
    it.each(['0', '0.000', '000'])('rejects %s where a positive decimal is required', (v) => rejects(v, volume, /greater than 0/));
    it('rejects a zero amount', () => rejects('0.00', amount, /greater than 0/));
    it('accepts zero where the field allows it', () => {
      accepts('0', { kind: 'volume', allowZero: true });
      accepts('0.000', { kind: 'volume', allowZero: true });
    });
  });

  describe('JSON types other than string', () => {
    it('rejects a JSON number and says so', () => rejects(12.5, volume, /decimal string.*not a JSON number/));
    it('rejects an integer JSON number', () => rejects(60000, volume, /not a JSON number/));
    it('rejects null', () => rejects(null, volume, /not a JSON null/));
    it('rejects a boolean', () => rejects(true, volume, /not a JSON boolean/));
    it('rejects an object and an array', () => {
      rejects({ value: '1' }, volume, /not a JSON object/);
      rejects(['1'], volume, /not a JSON object/);
    });
  });

  describe('shape of the string', () => {
    it.each(['1e3', '1E3', '1.5e-2', '1e+3'])('rejects the exponent form %s', (v) => rejects(v, volume, /no sign, exponent or spaces/));
    it.each(['-1', '+1', '-0.5'])('rejects the signed %s', (v) => rejects(v, volume, /no sign/));
    it.each([' 1', '1 ', '1 000', '1. 5', '\t1', '1.5\n'])('rejects %j with whitespace', (v) => rejects(v, volume, /spaces/));
    it.each(['', '.', '.5', '5.', '1.2.3', '1,5', 'NaN', 'Infinity', '-Infinity', '0x10', '１２', '١٢'])('rejects %j', (v) =>
      rejects(v, volume, /digits with an optional fraction/),
    );
  });

  describe('integer digits', () => {
    it('accepts 15 integer digits', () => accepts('999999999999999', volume));
    it('rejects 16 integer digits', () => rejects('1000000000000000', volume, /at most 15 integer digits/));
    it('rejects 16 integer digits even with a fraction', () => rejects('1234567890123456.5', price, /at most 15 integer digits/));
  });

  describe('length: a hostile string costs what a short one does', () => {
    it('accepts up to 64 characters, trailing zeros included', () => {
      const longest = `999999999999999.999${'0'.repeat(MAX_DECIMAL_LENGTH - 19)}`;
      expect(longest).toHaveLength(MAX_DECIMAL_LENGTH);
      accepts(longest, volume);
      rejects(`${longest}0`, volume, /at most 64 characters/);
    });

    it('refuses a megabyte of zeros at once, not after seconds (the trailing-zero scan was quadratic)', () => {
      const hostile = `0.${'0'.repeat(1_000_000)}1`;
      const started = process.hrtime.bigint();
      for (const rule of [volume, price, amount, rate]) rejects(hostile, rule, /at most 64 characters/);
      expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(50);
    });
  });
});
