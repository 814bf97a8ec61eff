import { Global, Module } from '@nestjs/common';
import { BearerStrategy } from '../../common/auth/bearer.strategy';
import { ApiKeysService } from './api-keys.service';
import { ParticipantsController } from './participants.controller';
import { ParticipantsService } from './participants.service';

@Global()
@Module({
  controllers: [ParticipantsController],
  providers: [ParticipantsService, ApiKeysService, BearerStrategy],
  exports: [ParticipantsService],
})
export class ParticipantsModule {}
