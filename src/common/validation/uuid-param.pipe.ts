import { Injectable, Param, PipeTransform } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** IDs are opaque: a malformed one names no object, so it is a 404 like any unknown id. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw DomainError.notFound(`Object ${value}`);
    return value.toLowerCase();
  }
}

export const UuidParam = (name: string) => Param(name, UuidPipe);
