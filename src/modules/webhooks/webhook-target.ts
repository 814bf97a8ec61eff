import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { refusedRange } from '../../core/webhooks/address-policy';

/** Where one delivery goes: the URL as registered and the one address checked for it. */
export interface WebhookTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export type Resolved = { ok: true; target: WebhookTarget } | { ok: false; problem: string };

export type LookupAll = (host: string) => Promise<Array<{ address: string; family: number }>>;

const lookupAll: LookupAll = (host) => lookup(host, { all: true, verbatim: true });

/** What is wrong with a URL's form, or null: http or https, a host, no credentials in it. */
export function urlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (!url.hostname) return 'must name a host';
  if (url.username || url.password) return 'must not carry credentials';
  return null;
}

/**
 * Resolves the URL's host once and checks every address it resolves to against the
 * address policy (unless `allowPrivate`); the delivery then connects to the first address
 * and to nothing else, so a name that resolves differently a moment later (DNS rebinding)
 * cannot send it elsewhere. A host that resolves to any refused address is refused.
 */
export async function resolveTarget(raw: string, allowPrivate: boolean, resolve: LookupAll = lookupAll): Promise<Resolved> {
  const problem = urlProblem(raw);
  if (problem) return { ok: false, problem };
  const url = new URL(raw);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await resolve(host);
    } catch (err) {
      return { ok: false, problem: `host ${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? 'lookup failed'})` };
    }
  }
  if (addresses.length === 0) return { ok: false, problem: `host ${host} resolves to no address` };
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const refused = refusedRange(address);
      if (refused) return { ok: false, problem: `host ${host} resolves to ${address}, a ${refused} address; webhooks may not reach it` };
    }
  }
  const [first] = addresses;
  return { ok: true, target: { url, address: first.address, family: first.family === 6 ? 6 : 4 } };
}
