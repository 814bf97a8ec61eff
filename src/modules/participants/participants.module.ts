import { Module } from '@nestjs/common';
import { ApiKeyAuthenticator } from '../../common/auth/api-key-authenticator';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { RegionsModule } from '../regions/regions.module';
import { ApiKeyCache } from './api-key-cache';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { ParticipantReadRules } from './participant-read-rules';
import { ParticipantsController } from './participants.controller';
import { ParticipantsRepository } from './participants.repository';
import { ParticipantsService } from './participants.service';

/** Participants and their API keys. */
@Module({
  imports: [AuditModule, EventsModule, RegionsModule],
  controllers: [ParticipantsController],
  providers: [
    ParticipantsRepository,
    ApiKeysRepository,
    ParticipantsService,
    ApiKeysService,
    ApiKeyCache,
    ParticipantReadRules,
    // The bearer strategy resolves keys through this token, so common/auth knows no feature module.
    { provide: ApiKeyAuthenticator, useExisting: ApiKeysService },
  ],
  exports: [ParticipantsService, ApiKeyAuthenticator],
})
export class ParticipantsModule {}
