import { ValidationArguments, registerDecorator } from 'class-validator';
import { Dec } from '../../core/decimal';

const DECIMAL_STRING = /^\d{1,15}(\.\d+)?$/;

const figureProblem = (value: unknown, maxScale: number): string | null => {
  if (typeof value !== 'string') return `must be a decimal string such as "0.7", not a JSON ${value === null ? 'null' : typeof value}`;
  if (!DECIMAL_STRING.test(value)) return 'must be digits with an optional fraction (no sign, exponent or spaces; at most 15 integer digits)';
  return new Dec(value).decimalPlaces() > maxScale ? `must have at most ${maxScale} decimals` : null;
};

/**
 * A decimal string in the contract's format for figures that are none of its units
 * (shares, which may be exactly 1 unlike a rate, and m³ per unit of output). Only the format
 * and scale are checked here; each figure's range is a rule of its contract model and is
 * checked by validateProjectTerms, so that one 400 lists every problem with the terms.
 */
export function IsDecimalFigure(maxScale: number) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isDecimalFigure',
      target: target.constructor,
      propertyName,
      constraints: [maxScale],
      validator: {
        validate: (value: unknown) => figureProblem(value, maxScale) === null,
        defaultMessage: (args?: ValidationArguments) => `${args?.property} ${figureProblem(args?.value, maxScale)}`,
      },
    });
}
