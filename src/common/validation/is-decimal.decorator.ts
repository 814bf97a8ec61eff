import { ValidationArguments, registerDecorator } from 'class-validator';
import { DecimalSpec, decimalSpecProblem } from './decimal-schema';

/** A JSON decimal string of the contract's kind: volume (3 dp), price (4), amount (2), rate [0,1); optionally at most a ceiling. */
export function IsDecimal(spec: DecimalSpec) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isDecimal',
      target: target.constructor,
      propertyName,
      constraints: [spec],
      validator: {
        validate: (value: unknown) => decimalSpecProblem(value, spec) === null,
        defaultMessage: (args?: ValidationArguments) => `${args?.property} ${decimalSpecProblem(args?.value, spec)}`,
      },
    });
}
