import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import type { Request, Response } from 'express';

export const CSV_MEDIA_TYPE = 'text/csv';

/**
 * What the CSV answer is, parameters included: an `Accept` range with parameters matches
 * only an offer carrying them, so `text/csv; charset=utf-8` (or RFC 4180's `header=present`)
 * would otherwise fall back to JSON.
 */
const CSV_OFFER = `${CSV_MEDIA_TYPE}; charset=utf-8; header=present`;

/**
 * A report answers the same query as JSON (`{ items }`) or, when the client asks for it
 * with `Accept: text/csv`, as CSV: a header row of the item's field names, then one line
 * per item (RFC 4180 quoting by csv-stringify; null is an empty cell).
 */
export function jsonOrCsv<T extends object>(req: Request, res: Response, report: { items: T[] }, columns: readonly string[]): { items: T[] } | string {
  if (req.accepts(['application/json', CSV_OFFER]) !== CSV_OFFER) return report;
  res.type(`${CSV_MEDIA_TYPE}; charset=utf-8`);
  const header = report.items.length > 0 ? Object.keys(report.items[0]) : [...columns];
  return stringify(report.items as Array<Record<string, unknown>>, { header: true, columns: header });
}

/** Documents both media types of a report's 200. */
export function ApiJsonOrCsvResponse(type: Type<unknown>, csvExample: string): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(type),
    ApiOkResponse({
      description: 'JSON by default; CSV with `Accept: text/csv` (a header row of the item\'s field names, then one line per item)',
      content: {
        'application/json': { schema: { $ref: getSchemaPath(type) } },
        [CSV_MEDIA_TYPE]: { schema: { type: 'string' }, example: csvExample },
      },
    }),
  );
}
