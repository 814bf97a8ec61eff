import { Conditions, rows, Tx } from '../../database/sql';
import { AnnouncementRow } from './announcements.rows';

export interface AnnouncementFilter {
  type?: string;
  /** Keyset: strictly older than this seq. */
  beforeSeq?: string;
  limit: number;
}

/** SQL of `announcements` (append-only). */
export class AnnouncementsRepository {
  async insert(tx: Tx, a: Pick<AnnouncementRow, 'id' | 'type' | 'title' | 'data'>): Promise<void> {
    await rows(tx, 'INSERT INTO announcements (id, type, title, data) VALUES ($1, $2, $3, $4)', [a.id, a.type, a.title, JSON.stringify(a.data)]);
  }

  /** Newest first. */
  async list(tx: Tx, f: AnnouncementFilter): Promise<AnnouncementRow[]> {
    const c = new Conditions();
    if (f.type) c.and('type = ?', f.type);
    if (f.beforeSeq) c.and('seq < ?::bigint', f.beforeSeq);
    return rows<AnnouncementRow>(tx, `SELECT * FROM announcements ${c.where} ORDER BY seq DESC LIMIT ${c.param(f.limit)}`, c.params);
  }
}
