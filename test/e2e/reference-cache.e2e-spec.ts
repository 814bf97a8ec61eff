import { createParticipant, Party, seedRegions } from './support/fixtures';
import { client, startTestApp, TestApp } from './support/test-app';
import { dropDatabase } from './support/test-database';

jest.setTimeout(60_000);

const YEAR = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
let permitSeq = 0;
const groundwaterRight = (holderId: string) => ({
  holderId,
  regionCode: '150421',
  source: 'GROUNDWATER',
  useType: 'INDUSTRY',
  annualVolume: '1000',
  validFrom: `${YEAR - 1}-01-01`,
  validTo: `${YEAR + 3}-12-31`,
  permitNo: `D-RC-${process.pid}-${++permitSeq}`,
});

/**
 * Region chains (and the regions capped in a year) are kept per instance (ReferenceCache).
 * A change of the tree made through one instance must reach the checks of the other through
 * PostgreSQL's notification at its commit, well within the cache's 5 s backstop, and the
 * writing instance must see it in its very next request.
 */
describe('the reference cache forgets the region tree on every instance when it changes', () => {
  let a: TestApp;
  let b: TestApp;
  let county: Party;
  let holder: Party;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ dbUrl: a.dbUrl });
    await seedRegions(a);
    [county, holder] = await Promise.all([createParticipant(a, 'REGULATOR', '150421'), createParticipant(a, 'ENTERPRISE', '150421')]);
  });
  afterAll(async () => {
    await b?.kill();
    await a?.kill();
    if (a) await dropDatabase(a.dbUrl);
  });

  const register = (t: TestApp) => client(t, county.apiKey).post('/v1/rights', groundwaterRight(holder.id));
  const flag = (overdraft: boolean) => client(a, a.adminKey).put('/v1/regions/150421', { name: '阿鲁科尔沁旗', parentCode: '150400', groundwaterOverdraft: overdraft });

  it('refuses groundwater on the other instance within a second of the county being flagged, and accepts it again once lifted', async () => {
    // Both instances have read the county's chain, unflagged.
    for (const t of [a, b]) expect((await register(t)).status).toBe(201);
    expect((await flag(true)).status).toBe(200);
    // The writing instance: at once.
    expect((await register(a)).body.code).toBe('CHECK_FAILED');
    const started = Date.now();
    let status = 0;
    while (Date.now() - started < 4000 && (status = (await register(b)).status) !== 409) await new Promise((ok) => setTimeout(ok, 25));
    expect(status).toBe(409);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await flag(false)).status).toBe(200);
    expect((await register(a)).status).toBe(201);
    const lifted = Date.now();
    while (Date.now() - lifted < 4000 && (status = (await register(b)).status) !== 201) await new Promise((ok) => setTimeout(ok, 25));
    expect(status).toBe(201);
    expect(Date.now() - lifted).toBeLessThan(1000);
  });
});
