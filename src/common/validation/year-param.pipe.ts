import { Injectable, Param, PipeTransform } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

@Injectable()
export class YearPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^\d{4}$/.test(value)) throw DomainError.validation([{ field: 'year', message: 'must be a four-digit year' }]);
    return Number(value);
  }
}

export const YearParam = () => Param('year', YearPipe);
