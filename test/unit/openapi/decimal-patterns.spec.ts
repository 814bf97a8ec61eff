import fc from 'fast-check';
import { DecimalSpec, decimalPattern, decimalSpecProblem, ZERO_DECIMAL } from '../../../src/common/validation/decimal-schema';
import { ORDER_VOLUME_CEILING, PRICE_CEILING } from '../../../src/core/decimal-limits';

/** What the OpenAPI document says of a request decimal: its pattern, and "not zero" unless zero is allowed. */
const documentedAccepts = (spec: DecimalSpec) => {
  const pattern = new RegExp(decimalPattern(spec));
  const zero = new RegExp(ZERO_DECIMAL);
  return (s: string) => pattern.test(s) && (spec.kind === 'rate' || spec.allowZero === true || !zero.test(s));
};

const SPECS: DecimalSpec[] = [
  { kind: 'volume' },
  { kind: 'volume', allowZero: true },
  { kind: 'volume', max: ORDER_VOLUME_CEILING },
  { kind: 'price' },
  { kind: 'price', max: PRICE_CEILING },
  { kind: 'price', max: PRICE_CEILING, allowZero: true },
  { kind: 'amount' },
  { kind: 'amount', allowZero: true },
  { kind: 'rate' },
];

/** Strings shaped like decimals, near every boundary: digits, zeros, points, signs, exponents, spaces. */
const decimalish = fc.oneof(
  fc.tuple(fc.stringMatching(/^0{0,8}$/), fc.stringMatching(/^\d{0,16}$/), fc.option(fc.stringMatching(/^\.\d{0,8}0{0,3}$/), { nil: '' })).map(([z, i, f]) => `${z}${i}${f}`),
  fc.constantFrom('100000000', '100000000.0', '100000000.0001', '000000100000000', '0000000100000000', '1000000000000', '1000000000000.001', '999999999999999', '9999999999999999'),
  fc.constantFrom('0', '0.0', '0.', '.5', '1.', '-1', '+1', '1e3', ' 1', '1 ', 'NaN', 'Infinity', '', '0.0000001', '0.999999', '0.9999999', '1.0'),
  fc.string({ unit: fc.constantFrom('0', '1', '9', '.', '-', 'e') , maxLength: 20 }),
);

describe('the document\'s decimal patterns say exactly what the service accepts', () => {
  it.each(SPECS.map((spec) => [JSON.stringify(spec), spec] as const))('%s', (_, spec) => {
    const documented = documentedAccepts(spec);
    fc.assert(
      fc.property(decimalish, (s) => {
        expect([s, documented(s)]).toEqual([s, decimalSpecProblem(s, spec) === null]);
      }),
      { numRuns: 3000 },
    );
  });

  it('has no lookaround, so generators and every JSON Schema validator read it', () => {
    for (const spec of SPECS) expect(decimalPattern(spec)).not.toMatch(/\(\?[=!<]/);
  });
});
