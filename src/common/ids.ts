import { v7 } from 'uuid';

/**
 * The id of every row the exchange creates: a UUID of version 7 (RFC 9562), whose first 48
 * bits are the time in milliseconds, then a counter and random bits. Ids made one after
 * another sort one after another, so each primary key, and each index that leads with an
 * id (postings, holds and audit entries by what they refer to, trades by order), grows at
 * its right edge, where random version 4 ids scattered every insert over the whole index:
 * a page read from disk once the index outgrew memory, a full page image in the WAL for
 * each page's first change after a checkpoint, and pages split half empty
 * (docs/performance-log.md, "Ids that sort by time"). After the time come a 32-bit counter
 * that starts at a random value each millisecond and 42 fresh random bits, so ids stay hard
 * to guess; still, an id is never a secret (API keys, salts and webhook secrets have their
 * own random bytes, and every read checks the caller), and the time it carries is the row's
 * own `createdAt`.
 */
export const newId = (): string => v7();
