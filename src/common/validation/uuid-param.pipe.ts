import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { UUID } from './fields';
import { documentedParam } from './path-params';

/** IDs are opaque: a malformed one names no object, so it is a 404 like any unknown id. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw DomainError.notFound(`Object ${value}`);
    return value.toLowerCase();
  }
}

export const UuidParam = (name: string) =>
  documentedParam(name, { type: 'string', format: 'uuid' }, 'An id (UUID); a malformed one is answered like an unknown one (404)', UuidPipe);
