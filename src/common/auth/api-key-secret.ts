import { createHash, randomBytes } from 'node:crypto';

/**
 * Keys are 256 random bits, so a plain SHA-256 is a sufficient one-way store (no slow
 * hash needed: there is nothing to brute-force) and lets a lookup use an index.
 */
export const newApiKey = (): string => `wrx_${randomBytes(32).toString('base64url')}`;

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');
