import { Module } from '@nestjs/common';
import { AnnouncementsModule } from '../announcements/announcements.module';
import { MarketsModule } from '../markets/markets.module';
import { RegionsModule } from '../regions/regions.module';
import { DisclosureService } from './disclosure.service';
import { PublicController } from './public.controller';

/** 交易信息公开: the public pages, read from market data and announcements. */
@Module({
  imports: [AnnouncementsModule, MarketsModule, RegionsModule],
  controllers: [PublicController],
  providers: [DisclosureService],
})
export class DisclosureModule {}
