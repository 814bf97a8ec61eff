import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json';

/**
 * Sealed bids (API.md): until the close, the audit chain holds only a hash commitment to
 * each bid; the close publishes every bid with its salt so anyone can recompute the hash.
 * The salt makes a commitment unguessable: without it, a price on the tick grid could be
 * found by hashing candidates.
 */

export const SALT_HEX_LENGTH = 32;
const SALT = /^[0-9a-f]{32}$/;

/**
 * What a commitment binds, with the strings exactly as the bid's response carries them
 * (a normalised "60000" and "60000.000" hash differently). For a regional interest,
 * `bidderId` is the interested regulator and `volume` the trade's `volumePerYear`.
 */
export interface CommittedFields {
  bidderId: string;
  price: string;
  volume: string;
  salt: string;
}

/** A source of random bytes; tests pass a fixed one so salts are reproducible. */
export type RandomBytes = (size: number) => Uint8Array;

/** 32 lowercase hex characters: 16 random bytes. */
export function newSalt(random: RandomBytes = randomBytes): string {
  const bytes = random(SALT_HEX_LENGTH / 2);
  if (bytes.length !== SALT_HEX_LENGTH / 2) throw new RangeError(`the random source gave ${bytes.length} bytes, not ${SALT_HEX_LENGTH / 2}`);
  return Buffer.from(bytes).toString('hex');
}

export const isSalt = (value: string): boolean => SALT.test(value);

/** commitment = hex(sha256(canonical JSON (RFC 8785) of { bidderId, price, volume, salt })). */
export function bidCommitment(fields: CommittedFields): string {
  // Only the four named fields are hashed, whatever else the caller's object carries.
  const { bidderId, price, volume, salt } = fields;
  for (const [name, value] of Object.entries({ bidderId, price, volume, salt })) {
    if (typeof value !== 'string') throw new TypeError(`${name} must be a string as the response carries it, got ${typeof value}`);
  }
  return createHash('sha256').update(canonicalJson({ bidderId, price, volume, salt })).digest('hex');
}
