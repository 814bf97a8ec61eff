import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { YEAR_MAX, YEAR_MIN } from './fields';
import { documentedParam } from './path-params';

/** A year in a path is four digits and nothing else (no sign, exponent, radix prefix or fraction). */
@Injectable()
export class YearPipe implements PipeTransform<unknown, number> {
  transform(value: unknown): number {
    // The same range the caps table accepts, so an odd year is a 400 rather than a constraint error.
    if (typeof value !== 'string' || !/^\d{4}$/.test(value) || Number(value) < YEAR_MIN) {
      throw DomainError.validation([{ field: 'year', message: `must be a year of four digits from ${YEAR_MIN} to ${YEAR_MAX}` }]);
    }
    return Number(value);
  }
}

export const YearParam = () =>
  documentedParam('year', { type: 'integer', minimum: YEAR_MIN, maximum: YEAR_MAX, example: 2026 }, 'A year: four digits', YearPipe);
