import type { AnnouncementType } from '../../core/disclosure/announcements';

/** A row of `announcements`, as pg returns it. */
export interface AnnouncementRow {
  id: string;
  seq: string;
  type: AnnouncementType;
  at: Date;
  title: string;
  data: Record<string, unknown>;
}
