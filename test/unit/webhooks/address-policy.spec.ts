import { REFUSED_RANGES, refusedRange } from '../../../src/core/webhooks/address-policy';

describe('where a webhook may be delivered (SSRF policy)', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.255.255.254', 'loopback'], ['::1', 'loopback'],
    ['10.0.0.1', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.0.1', 'private'],
    ['169.254.169.254', 'link-local'], ['fe80::1', 'link-local'],
    ['100.64.0.1', 'CGNAT'], ['100.127.255.255', 'CGNAT'],
    ['fc00::1', 'unique-local'], ['fd12:3456::1', 'unique-local'],
    ['224.0.0.1', 'multicast'], ['239.255.255.250', 'multicast'], ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'], ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'], ['::ffff:8.8.8.8', 'IPv4-mapped'],
    ['255.255.255.255', 'reserved'], ['[::1]', 'loopback'],
    ['64:ff9b:1::7f00:1', 'NAT64 (local use)'], ['2002:7f00:1::1', '6to4'], ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'Teredo'],
    ['fec0::1', 'site-local'], ['100::1', 'discard-only'],
  ])('refuses %s as %s', (address, range) => {
    expect(refusedRange(address)).toBe(range);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2001:4860:4860::8888', '2606:4700::1111'])('allows the public address %s', (address) => {
    expect(refusedRange(address)).toBeNull();
  });

  it('refuses anything that is not an IP address: names are resolved first, then checked', () => {
    expect(refusedRange('localhost')).toBe('not an IP address');
    expect(refusedRange('')).toBe('not an IP address');
  });

  it('names every range it refuses', () => {
    expect(new Set(REFUSED_RANGES.map((r) => r.name))).toEqual(new Set([
      'unspecified', 'private', 'CGNAT', 'loopback', 'link-local', 'reserved', 'benchmarking', 'multicast', 'IPv4-mapped', 'IPv4-compatible', 'NAT64', 'unique-local',
      'NAT64 (local use)', '6to4', 'Teredo', 'discard-only', 'site-local',
    ]));
  });
});
