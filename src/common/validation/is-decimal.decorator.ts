import { ValidationArguments, registerDecorator } from 'class-validator';
import { DecimalRule, decimalProblem } from '../../core/decimal-rules';

/** A JSON decimal string of the contract's kind: volume (3 dp), price (4), amount (2), rate [0,1). */
export function IsDecimal(rule: DecimalRule) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isDecimal',
      target: target.constructor,
      propertyName,
      constraints: [rule],
      validator: {
        validate: (value: unknown) => decimalProblem(value, rule) === null,
        defaultMessage: (args?: ValidationArguments) => `${args?.property} ${decimalProblem(args?.value, rule)}`,
      },
    });
}
