import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../src/core/audit/canonical-json';
import { AuditEntry, ChainVerifier, entryHash, GENESIS_HASH, sealEntry } from '../../../src/core/audit/hash-chain';

/** A log of `n` sealed entries as the service would append them. */
function chainOf(n: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const entry = sealEntry({
      seq,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      actorId: seq === 1 ? null : '6f1c2a52-3f7e-4c55-9a55-6d8a4b3c2e10',
      action: 'cap.set',
      entityType: 'cap',
      entityId: `150421-${2020 + seq}`,
      before: seq === 1 ? null : { totalCap: String(seq * 1000 - 1000) },
      after: { totalCap: String(seq * 1000), year: 2020 + seq },
      requestId: `req-${seq}`,
      prevHash,
    });
    entries.push(entry);
    prevHash = entry.hash;
  }
  return entries;
}

const headOf = (entries: AuditEntry[]) =>
  entries.length ? { seq: entries[entries.length - 1].seq, hash: entries[entries.length - 1].hash } : { seq: 0, hash: GENESIS_HASH };

function verify(entries: AuditEntry[], head = headOf(entries)) {
  const verifier = new ChainVerifier();
  for (const e of entries) verifier.push(e);
  return verifier.finish(head);
}

describe('audit hash chain', () => {
  describe('sealing', () => {
    it('starts the chain at 64 zeros', () => {
      expect(GENESIS_HASH).toBe('0'.repeat(64));
      expect(chainOf(1)[0].prevHash).toBe(GENESIS_HASH);
    });

    it('hashes sha256(prevHash ‖ canonical JSON of the entry without hash)', () => {
      const [entry] = chainOf(1);
      const { hash, ...body } = entry;
      const expected = createHash('sha256').update(entry.prevHash + canonicalJson(body)).digest('hex');
      expect(hash).toBe(expected);
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('links each entry to the hash of the one before', () => {
      const entries = chainOf(4);
      for (let i = 1; i < entries.length; i++) expect(entries[i].prevHash).toBe(entries[i - 1].hash);
    });

    it('ignores a hash already on the entry when rehashing it', () => {
      const [entry] = chainOf(1);
      expect(entryHash({ ...entry, hash: 'f'.repeat(64) } as AuditEntry)).toBe(entry.hash);
    });

    it('does not depend on the key order of before and after', () => {
      const [entry] = chainOf(1);
      const reordered = { ...entry, after: { year: (entry.after as any).year, totalCap: (entry.after as any).totalCap } };
      expect(entryHash(reordered)).toBe(entry.hash);
    });

    it('changes when any field changes', () => {
      const [entry] = chainOf(1);
      for (const change of [{ seq: 2 }, { actorId: 'x' }, { action: 'cap.changed' }, { entityId: 'y' }, { requestId: null }, { at: '2027-01-01T00:00:00.000Z' }]) {
        expect(entryHash({ ...entry, ...change })).not.toBe(entry.hash);
      }
    });
  });

  describe('verification', () => {
    it('accepts an intact log and reports its size and head', () => {
      const entries = chainOf(5);
      expect(verify(entries)).toEqual({ valid: true, entries: 5, head: entries[4].hash, firstInvalidSeq: null });
    });

    it('accepts an empty log at the genesis head', () => {
      expect(verify([])).toEqual({ valid: true, entries: 0, head: GENESIS_HASH, firstInvalidSeq: null });
    });

    it('gives the same answer when the log is pushed in batches across calls', () => {
      const entries = chainOf(7);
      const verifier = new ChainVerifier();
      entries.slice(0, 3).forEach((e) => verifier.push(e));
      entries.slice(3).forEach((e) => verifier.push(e));
      expect(verifier.finish(headOf(entries)).valid).toBe(true);
    });

    it('detects an edited entry at its seq', () => {
      const entries = chainOf(5);
      entries[2] = { ...entries[2], after: { totalCap: '999999', year: 2023 } };
      expect(verify(entries)).toMatchObject({ valid: false, firstInvalidSeq: 3 });
    });

    it('detects an edited entry whose own hash was recomputed, at the next entry', () => {
      const entries = chainOf(5);
      entries[2] = sealEntry({ ...entries[2], after: { totalCap: '1' } });
      expect(verify(entries)).toMatchObject({ valid: false, firstInvalidSeq: 4 });
    });

    it('detects a whole tail rewritten consistently, through the recorded head', () => {
      const entries = chainOf(5);
      const head = headOf(entries);
      let prevHash = entries[1].hash;
      for (let i = 2; i < 5; i++) {
        entries[i] = sealEntry({ ...entries[i], after: { forged: true }, prevHash });
        prevHash = entries[i].hash;
      }
      expect(verify(entries, head)).toMatchObject({ valid: false, firstInvalidSeq: 5 });
    });

    it('detects an entry inserted in the middle', () => {
      const entries = chainOf(5);
      const forged = sealEntry({ ...entries[2], action: 'cap.forged', prevHash: entries[1].hash });
      expect(verify([...entries.slice(0, 2), forged, ...entries.slice(2)], headOf(entries))).toMatchObject({ valid: false, firstInvalidSeq: 3 });
    });

    it('detects a well-formed entry appended past the recorded head', () => {
      const entries = chainOf(5);
      const head = headOf(entries);
      const forged = sealEntry({ ...entries[4], seq: 6, action: 'cap.forged', prevHash: entries[4].hash });
      expect(verify([...entries, forged], head)).toMatchObject({ valid: false, firstInvalidSeq: 6 });
    });

    it('detects a deleted entry at the missing seq', () => {
      const entries = chainOf(5);
      expect(verify([...entries.slice(0, 2), ...entries.slice(3)], headOf(entries))).toMatchObject({ valid: false, firstInvalidSeq: 3 });
    });

    it('detects two entries swapped', () => {
      const entries = chainOf(5);
      const swapped = [entries[0], entries[1], entries[3], entries[2], entries[4]];
      expect(verify(swapped)).toMatchObject({ valid: false, firstInvalidSeq: 3 });
    });

    it('detects deleted newest entries through the recorded head', () => {
      const entries = chainOf(5);
      expect(verify(entries.slice(0, 4), headOf(entries))).toMatchObject({ valid: false, firstInvalidSeq: 5 });
      expect(verify(entries.slice(0, 2), headOf(entries))).toMatchObject({ valid: false, firstInvalidSeq: 3 });
    });

    it('detects the only entry deleted', () => {
      const entries = chainOf(1);
      expect(verify([], headOf(entries))).toMatchObject({ valid: false, entries: 0, firstInvalidSeq: 1 });
    });

    it('detects the newest entry replaced by a well-formed forgery', () => {
      const entries = chainOf(5);
      const head = headOf(entries);
      entries[4] = sealEntry({ ...entries[4], after: { forged: true } });
      expect(verify(entries, head)).toMatchObject({ valid: false, firstInvalidSeq: 5 });
    });

    it('counts every entry it was given, even past the first bad one', () => {
      const entries = chainOf(5);
      entries[0] = { ...entries[0], action: 'x' };
      expect(verify(entries)).toMatchObject({ valid: false, entries: 5, firstInvalidSeq: 1 });
    });
  });
});
