import { ArgumentMetadata, Injectable, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { DomainError, FieldError } from '../errors/domain-error';
import { PRESENCE } from './fields';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const constraints = e.constraints ?? {};
    // A missing or null field fails every check; "is required" alone names the problem.
    const messages = constraints[PRESENCE] ? [constraints[PRESENCE]] : Object.values(constraints);
    const own = messages.map((message) => ({ field, message: message.replace(/^property (\S+) should not exist$/, 'unknown field') }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

const PRIMITIVES: unknown[] = [String, Boolean, Number, Array, Object];

type Dto = new () => object;
const isDto = (metatype: unknown): metatype is Dto => typeof metatype === 'function' && !PRIMITIVES.includes(metatype);

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

const join = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);

/** The JSON type of a value, as a client would name it. */
const jsonType = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`);

function nulProblems(value: unknown, field: string): FieldError[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [{ field, message: 'must not contain NUL characters' }] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => nulProblems(item, `${field}[${i}]`));
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key.includes('\u0000') ? [{ field, message: 'must not have a field name containing NUL characters' }] : nulProblems(item, field === '' ? key : join(field, key)),
  );
}

/** The properties a DTO class declares, its parents' included. */
function declaredFields(dto: Dto): Set<string> {
  return new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((m) => m.propertyName));
}

/**
 * Splits a request object into the fields its DTO declares and the unknown ones. Checked
 * here, by own keys against a Set, because class-validator's whitelist looks names up on a
 * plain object and so takes `toString`, `constructor` or `__proto__` for declared fields.
 */
function splitUnknown(value: Record<string, unknown>, dto: Dto, prefix = ''): { known: Record<string, unknown>; unknown: FieldError[] } {
  const fields = declaredFields(dto);
  const known: Record<string, unknown> = Object.create(null);
  const unknown: FieldError[] = [];
  for (const key of Object.keys(value)) {
    const field = join(prefix, key);
    if (!fields.has(key)) {
      unknown.push({ field, message: 'unknown field' });
      continue;
    }
    const nested: unknown = Reflect.getMetadata('design:type', dto.prototype, key);
    const item = value[key];
    if (isDto(nested) && isPlainObject(item)) {
      const inner = splitUnknown(item, nested, field);
      known[key] = inner.known;
      unknown.push(...inner.unknown);
    } else {
      known[key] = item;
    }
  }
  return { known: { ...known }, unknown };
}

const classValidation = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => DomainError.validation(flatten(errors)),
});

/** In one pass: a hostile body's thousands of unknown fields made the pairwise search quadratic. */
function withoutDuplicates(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Global validation of bodies and queries against their DTO classes: bodies must be JSON
 * objects, unknown fields are rejected whatever their name, `null` only where the field is
 * nullable, and no string may hold a NUL (PostgreSQL text cannot store it). Path
 * parameters reach their own pipes (`UuidParam`, `YearParam`) as the text that was sent.
 */
@Injectable()
export class RequestValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return value;
    // Problems with the whole body or query are reported against `body` or `query`.
    const whole = metadata.data ?? metadata.type;
    const nul = nulProblems(value, metadata.data ?? '');
    if (nul.length > 0) throw DomainError.validation(nul.map((e) => ({ ...e, field: e.field || whole })));
    if (!isDto(metadata.metatype)) return value;
    // No body at all is an empty object: a DTO whose fields are all optional accepts it.
    if (metadata.type === 'body' && value === undefined) value = {};
    if (!isPlainObject(value)) {
      throw DomainError.validation([{ field: whole, message: `must be a JSON object, not ${jsonType(value)}` }]);
    }
    const { known, unknown } = splitUnknown(value, metadata.metatype);
    try {
      const dto = await classValidation.transform(known, metadata);
      if (unknown.length > 0) throw DomainError.validation(unknown);
      return dto;
    } catch (err) {
      if (!(err instanceof DomainError) || unknown.length === 0) throw err;
      throw DomainError.validation(withoutDuplicates([...unknown, ...(err.errors ?? [])]));
    }
  }
}
