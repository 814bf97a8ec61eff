import { createHash } from 'node:crypto';
import { bidCommitment, isSalt, newSalt } from '../../../src/core/sealed-bids';

const fields = { bidderId: '3f0c2a52-5d7e-4c1b-9a43-0b7f3d1e9c11', price: '2.45', volume: '600', salt: '00112233445566778899aabbccddeeff' };

describe('the commitment to a sealed bid', () => {
  it('is the sha256 of the canonical JSON of bidder, price, volume and salt, keys sorted', () => {
    const canonical = '{"bidderId":"3f0c2a52-5d7e-4c1b-9a43-0b7f3d1e9c11","price":"2.45","salt":"00112233445566778899aabbccddeeff","volume":"600"}';
    expect(bidCommitment(fields)).toBe(createHash('sha256').update(canonical).digest('hex'));
    expect(bidCommitment(fields)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the order the fields are given in', () => {
    const { salt, volume, price, bidderId } = fields;
    expect(bidCommitment({ salt, volume, price, bidderId })).toBe(bidCommitment(fields));
  });

  it('hashes the strings exactly as the response carries them: "600" and "600.000" differ', () => {
    expect(bidCommitment({ ...fields, volume: '600.000' })).not.toBe(bidCommitment(fields));
  });

  it('ignores any other field of the object it is given', () => {
    expect(bidCommitment({ ...fields, id: 'bid-1', status: 'ACTIVE' } as typeof fields)).toBe(bidCommitment(fields));
  });

  it('changes with the salt, so equal bids do not share a commitment', () => {
    expect(bidCommitment({ ...fields, salt: 'ffeeddccbbaa99887766554433221100' })).not.toBe(bidCommitment(fields));
  });

  it('refuses a number where the response carries a string', () => {
    expect(() => bidCommitment({ ...fields, price: 2.45 as unknown as string })).toThrow(TypeError);
  });
});

describe('the salt', () => {
  it('is 32 lowercase hex characters from 16 random bytes', () => {
    const salt = newSalt();
    expect(isSalt(salt)).toBe(true);
    expect(newSalt()).not.toBe(salt);
  });

  it('comes from the random source it is given, so tests can fix it', () => {
    const counting = (size: number) => Uint8Array.from({ length: size }, (_, i) => i * 17);
    expect(newSalt(counting)).toBe('00112233445566778899aabbccddeeff');
  });

  it('refuses a random source that gives the wrong number of bytes', () => {
    expect(() => newSalt(() => new Uint8Array(8))).toThrow(RangeError);
  });

  it('is recognised only in its exact form', () => {
    expect(isSalt('00112233445566778899AABBCCDDEEFF')).toBe(false);
    expect(isSalt('0011223344556677889')).toBe(false);
  });
});
