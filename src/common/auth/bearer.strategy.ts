import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { ApiKeysService } from '../../modules/participants/api-keys.service';
import { Actor } from './actor';

/** `Authorization: Bearer <apiKey>`; unknown or revoked keys fail with 401. */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(private readonly keys: ApiKeysService) {
    super();
  }

  async validate(token: string): Promise<Actor | false> {
    return (await this.keys.authenticate(token)) ?? false;
  }
}
