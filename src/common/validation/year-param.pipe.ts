import { Injectable, Param, PipeTransform } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

@Injectable()
export class YearPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    // The same range the caps table accepts, so an odd year is a 400 rather than a constraint error.
    if (!/^\d{4}$/.test(value) || Number(value) < 1900) throw DomainError.validation([{ field: 'year', message: 'must be a year from 1900 to 9999' }]);
    return Number(value);
  }
}

export const YearParam = () => Param('year', YearPipe);
