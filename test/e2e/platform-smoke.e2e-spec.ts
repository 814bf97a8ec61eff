import { client, startTestApp, TestApp } from './support/test-app';
import { seedRegions, createParticipant } from './support/fixtures';

describe('platform smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
  });
  afterAll(() => t.close());

  it('reports a healthy database', async () => {
    const res = await client(t).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', db: 'up' });
  });

  it('lets a city regulator set a county cap and reads it back with headroom', async () => {
    const city = await createParticipant(t, 'REGULATOR', '150400');
    const put = await client(t, city.apiKey).put('/v1/regions/150421/caps/2026', { totalCap: '196740000' });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ regionCode: '150421', year: 2026, totalCap: '196740000', allocated: '0', transferredIn: '0', transferredOut: '0', capTransferredIn: '0', capTransferredOut: '0', capReservedOut: '0', headroom: '196740000' });
  });
});
