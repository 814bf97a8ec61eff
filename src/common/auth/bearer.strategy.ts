import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { Actor } from './actor';
import { ApiKeyAuthenticator } from './api-key-authenticator';

/** `Authorization: Bearer <apiKey>`; unknown or revoked keys fail with 401. */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(private readonly keys: ApiKeyAuthenticator) {
    super();
  }

  /**
   * The base strategy also takes `access_token` from the query string or the body; a key
   * there would be written to the request log, and API.md names the header only.
   */
  override authenticate(req: Request, options?: object): void {
    super.authenticate({ headers: req.headers } as Request, options);
  }

  async validate(token: string): Promise<Actor | false> {
    return (await this.keys.authenticate(token)) ?? false;
  }
}
