import { Injectable } from '@nestjs/common';
import { newId } from '../../common/ids';
import { Announcement, announcementTitle } from '../../core/disclosure/announcements';
import { Tx } from '../../database/sql';
import { AnnouncementsRepository } from './announcements.repository';

/**
 * Publishes announcements (交易信息公开). A capability calls `publish` inside the
 * transaction of the change it announces, so the announcement exists exactly when the
 * change does.
 */
@Injectable()
export class AnnouncementsService {
  constructor(private readonly repo: AnnouncementsRepository) {}

  async publish(tx: Tx, announcement: Announcement): Promise<void> {
    await this.repo.insert(tx, { id: newId(), type: announcement.type, title: announcementTitle(announcement), data: announcement.data });
  }
}
