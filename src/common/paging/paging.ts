import { IntField, TextField } from '../validation/fields';

export class PageQuery {
  @IntField({ optional: true, query: true, min: 1, max: 500, default: 50, description: 'Items per page' })
  limit: number = 50;

  @TextField({ optional: true, max: 512, description: 'Opaque cursor from the previous page\'s nextCursor' })
  cursor?: string;
}
