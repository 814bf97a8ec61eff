import { Module } from '@nestjs/common';
import { AnnouncementsRepository } from './announcements.repository';
import { AnnouncementsService } from './announcements.service';

/** Public announcements: written by the capabilities that announce, read by the public pages. */
@Module({
  providers: [AnnouncementsRepository, AnnouncementsService],
  exports: [AnnouncementsService, AnnouncementsRepository],
})
export class AnnouncementsModule {}
