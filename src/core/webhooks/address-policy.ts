import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may not be delivered (API.md, Events and webhooks): hosts that resolve to
 * an address of the exchange's own network or of nobody's. A delivery to one of them would
 * let a participant probe or call services behind the exchange (SSRF). Each range with the
 * name a refusal reports.
 */
export const REFUSED_RANGES: ReadonlyArray<{ name: string; cidr: string }> = [
  { name: 'unspecified', cidr: '0.0.0.0/8' },
  { name: 'private', cidr: '10.0.0.0/8' },
  { name: 'CGNAT', cidr: '100.64.0.0/10' },
  { name: 'loopback', cidr: '127.0.0.0/8' },
  { name: 'link-local', cidr: '169.254.0.0/16' },
  { name: 'private', cidr: '172.16.0.0/12' },
  { name: 'reserved', cidr: '192.0.0.0/24' },
  { name: 'private', cidr: '192.168.0.0/16' },
  { name: 'benchmarking', cidr: '198.18.0.0/15' },
  { name: 'multicast', cidr: '224.0.0.0/4' },
  { name: 'reserved', cidr: '240.0.0.0/4' },
  { name: 'unspecified', cidr: '::/128' },
  { name: 'loopback', cidr: '::1/128' },
  { name: 'IPv4-mapped', cidr: '::ffff:0:0/96' },
  { name: 'IPv4-compatible', cidr: '::/96' },
  { name: 'NAT64', cidr: '64:ff9b::/96' },
  // These embed or reach an IPv4 address too, where a gateway routes them.
  { name: 'NAT64 (local use)', cidr: '64:ff9b:1::/48' },
  { name: '6to4', cidr: '2002::/16' },
  { name: 'Teredo', cidr: '2001::/32' },
  { name: 'discard-only', cidr: '100::/64' },
  { name: 'unique-local', cidr: 'fc00::/7' },
  { name: 'link-local', cidr: 'fe80::/10' },
  { name: 'site-local', cidr: 'fec0::/10' },
  { name: 'multicast', cidr: 'ff00::/8' },
];

const lists = REFUSED_RANGES.map(({ name, cidr }) => {
  const [network, prefix] = cidr.split('/');
  const family = isIP(network) === 6 ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  list.addSubnet(network, Number(prefix), family);
  return { name, list, family } as const;
});

/**
 * The name of the refused range `address` (an IP literal) falls in, or null when a
 * delivery may go there. Anything that is not an IP address is refused as 'not an IP
 * address': the caller resolves names first and checks what they resolve to.
 */
export function refusedRange(address: string): string | null {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const version = isIP(bare);
  if (version === 0) return 'not an IP address';
  const family = version === 6 ? 'ipv6' : 'ipv4';
  // BlockList matches an IPv6 subnet against IPv6 input only (and IPv4 likewise), so each
  // range is checked in its own family; IPv4-mapped IPv6 input is refused by its own range.
  for (const { name, list, family: f } of lists) if (f === family && list.check(bare, family)) return name;
  return null;
}
