import { Actor } from './actor';

/**
 * Resolves a presented API key to the actor behind it, or null for an unknown or revoked
 * key. The participants module provides it, so authentication needs no feature module.
 */
export abstract class ApiKeyAuthenticator {
  abstract authenticate(token: string): Promise<Actor | null>;
}
