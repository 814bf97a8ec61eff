import { LookupAll, resolveTarget } from '../../../src/modules/webhooks/webhook-target';

/** Resolution with a stand-in DNS: what each name resolves to, per lookup. */
const dns = (answers: Record<string, string[][]>): LookupAll => {
  const calls = new Map<string, number>();
  return async (host) => {
    const n = calls.get(host) ?? 0;
    calls.set(host, n + 1);
    const list = answers[host];
    if (!list) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return list[Math.min(n, list.length - 1)].map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
};

describe('resolving a webhook URL to the one address a delivery connects to', () => {
  it('pins the first address of a public name and keeps the URL (Host, TLS name) as registered', async () => {
    const r = await resolveTarget('https://hooks.example.org/w?x=1', false, dns({ 'hooks.example.org': [['93.184.216.34', '93.184.216.35']] }));
    expect(r).toEqual({ ok: true, target: { url: new URL('https://hooks.example.org/w?x=1'), address: '93.184.216.34', family: 4 } });
  });

  it('refuses a name that resolves to any internal address, even beside a public one', async () => {
    const r = await resolveTarget('https://mixed.example.org/', false, dns({ 'mixed.example.org': [['93.184.216.34', '10.0.0.5']] }));
    expect(r).toEqual({ ok: false, problem: expect.stringContaining('10.0.0.5, a private address') });
  });

  it('checks every lookup afresh: a name that rebinds to loopback is refused on the delivery that sees it', async () => {
    const lookup = dns({ 'rebind.example.org': [['93.184.216.34'], ['127.0.0.1']] });
    expect((await resolveTarget('http://rebind.example.org/', false, lookup)).ok).toBe(true);
    expect(await resolveTarget('http://rebind.example.org/', false, lookup)).toEqual({ ok: false, problem: expect.stringContaining('loopback') });
  });

  it('takes IP literals as they are, without a lookup', async () => {
    const never: LookupAll = async () => {
      throw new Error('no lookup for a literal');
    };
    expect(await resolveTarget('http://[2606:4700::1111]:8443/', false, never)).toMatchObject({ ok: true, target: { address: '2606:4700::1111', family: 6 } });
    expect(await resolveTarget('http://[::1]/', false, never)).toMatchObject({ ok: false });
  });

  it('lets everything through with allowPrivate, still pinned', async () => {
    expect(await resolveTarget('http://localhost:3000/', true, dns({ localhost: [['127.0.0.1']] }))).toMatchObject({ ok: true, target: { address: '127.0.0.1' } });
  });

  it('refuses a name that does not resolve, and URLs that are not http(s) or carry credentials', async () => {
    expect(await resolveTarget('https://nowhere.invalid/', false, dns({}))).toEqual({ ok: false, problem: expect.stringContaining('ENOTFOUND') });
    expect((await resolveTarget('file:///etc/passwd', true, dns({}))).ok).toBe(false);
    expect((await resolveTarget('https://a:b@example.org/', true, dns({}))).ok).toBe(false);
  });
});
