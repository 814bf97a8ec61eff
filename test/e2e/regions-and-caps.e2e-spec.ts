import { randomUUID } from 'node:crypto';
import { createParticipant, seedRegions } from './support/fixtures';
import { expectProblem, fieldsOf } from './support/problem';
import { sql, untilSealed } from './support/sql';
import { client, startTestApp, TestApp } from './support/test-app';
import { capRace, inTurn } from './support/cap-races';
import { placeOrder, TRADING_YEAR } from './support/trading';

describe('regions and caps (用水总量控制)', () => {
  let t: TestApp;
  const op = () => client(t, t.adminKey);

  beforeAll(async () => {
    t = await startTestApp();
    await seedRegions(t);
  });
  afterAll(() => t.close());

  describe('the region tree', () => {
    it('creates a region with 201, then updates it with 200', async () => {
      const created = await op().put('/v1/regions/150423', { name: '巴林右旗', parentCode: '150400' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ code: '150423', name: '巴林右旗', parentCode: '150400', groundwaterOverdraft: false, children: [] });

      const updated = await op().put('/v1/regions/150423', { name: '巴林右旗（更名）', groundwaterOverdraft: true });
      expect(updated.status).toBe(200);
      expect(updated.body).toEqual({ code: '150423', name: '巴林右旗（更名）', parentCode: '150400', groundwaterOverdraft: true, children: [] });
    });

    it('keeps the overdraft flag and parent when an update omits them', async () => {
      await op().put('/v1/regions/150424', { name: '林西县', parentCode: '150400', groundwaterOverdraft: true });
      const res = await op().put('/v1/regions/150424', { name: '林西县' });
      expect(res.body).toMatchObject({ parentCode: '150400', groundwaterOverdraft: true });
    });

    it('lists a region’s direct children, in code order, to any caller', async () => {
      const user = await createParticipant(t, 'WATER_USER', '150421');
      const res = await client(t, user.apiKey).get('/v1/regions/150400');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ code: '150400', name: '赤峰市', parentCode: '150000', groundwaterOverdraft: false });
      expect(res.body.children).toEqual(['150421', '150422', '150423', '150424']);
      expect((await client(t, user.apiKey).get('/v1/regions/150000')).body.children).toEqual(['150200', '150400']);
    });

    it('refuses a parent that does not exist (400)', async () => {
      const res = await op().put('/v1/regions/150425', { name: '克什克腾旗', parentCode: '159900' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual(['parentCode']);
      expectProblem(await op().get('/v1/regions/150425'), 404, 'NOT_FOUND');
    });

    it('refuses to move a region under its own descendant or itself (400), leaving the tree as it was', async () => {
      await seedRegions(t, [
        { code: '150500', name: '通辽市', parentCode: '150000' },
        { code: '150502', name: '科尔沁区', parentCode: '150500' },
      ]);
      const underChild = await op().put('/v1/regions/150500', { name: '通辽市', parentCode: '150502' });
      expectProblem(underChild, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(underChild)).toEqual(['parentCode']);
      const underGrandchild = await op().put('/v1/regions/150000', { name: '内蒙古自治区', parentCode: '150502' });
      expectProblem(underGrandchild, 400, 'VALIDATION_FAILED');
      expectProblem(await op().put('/v1/regions/150500', { name: '通辽市', parentCode: '150500' }), 400, 'VALIDATION_FAILED');
      expect((await op().get('/v1/regions/150500')).body.parentCode).toBe('150000');
      expect((await op().get('/v1/regions/150000')).body.parentCode).toBeNull();
    });

    it('moves a region to a new parent and re-lists both parents’ children', async () => {
      await seedRegions(t, [{ code: '150526', name: '扎鲁特旗', parentCode: '150400' }]);
      const res = await op().put('/v1/regions/150526', { name: '扎鲁特旗', parentCode: '150500' });
      expect(res.status).toBe(200);
      expect((await op().get('/v1/regions/150500')).body.children).toEqual(['150502', '150526']);
      expect((await op().get('/v1/regions/150400')).body.children).not.toContain('150526');
    });

    it('keeps the national root, where the operator sits, without a parent (400), so no province’s regulator comes to hold the operator', async () => {
      const regulator = await createParticipant(t, 'REGULATOR', '150000');
      const operator = (await op().get('/v1/participants/me')).body;
      expect(operator.regionCode).toBe('100000');
      const res = await op().put('/v1/regions/100000', { name: '中华人民共和国', parentCode: '150000' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'parentCode', message: 'the national root 100000 has no parent' }]);
      expect((await op().get('/v1/regions/100000')).body.parentCode).toBeNull();
      expectProblem(await client(t, regulator.apiKey).get(`/v1/participants/${operator.id}/balances`), 403, 'FORBIDDEN');
      // Renaming it is still an edit like any other.
      expect((await op().put('/v1/regions/100000', { name: '中华人民共和国' })).status).toBe(200);
    });

    it('refuses parentCode null (400: the contract does not call it nullable) and keeps the parent', async () => {
      await seedRegions(t, [{ code: '210000', name: '辽宁省', parentCode: '150000' }]);
      expectProblem(await op().put('/v1/regions/210000', { name: '辽宁省', parentCode: null }), 400, 'VALIDATION_FAILED');
      expect((await op().get('/v1/regions/210000')).body.parentCode).toBe('150000');
    });

    it.each(['15040', '1504000', 'abcdef'])('refuses the region code %s on PUT (400) and answers 404 on GET', async (code) => {
      expectProblem(await op().put(`/v1/regions/${code}`, { name: 'x' }), 400, 'VALIDATION_FAILED');
      expectProblem(await op().get(`/v1/regions/${code}`), 404, 'NOT_FOUND');
    });

    it('answers 404 for a region that does not exist', async () => {
      expectProblem(await op().get('/v1/regions/159999'), 404, 'NOT_FOUND');
    });

    it('audits creation and update with before and after', async () => {
      const entries = (await op().get('/v1/audit?entityType=region&entityId=150423')).body.items;
      expect(entries.map((e: any) => e.action)).toEqual(['region.created', 'region.updated']);
      expect(entries[0].before).toBeNull();
      expect(entries[1].before).toMatchObject({ name: '巴林右旗', groundwaterOverdraft: false });
      expect(entries[1].after).toMatchObject({ name: '巴林右旗（更名）', groundwaterOverdraft: true });
    });
  });

  describe('caps', () => {
    it('reports the figures with totalCap and headroom null while no cap is set', async () => {
      const res = await op().get('/v1/regions/150422/caps/2026');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ regionCode: '150422', year: 2026, totalCap: null, allocated: '0', transferredIn: '0', transferredOut: '0', capTransferredIn: '0', capTransferredOut: '0', capReservedOut: '0', headroom: null });
    });

    it('sets a cap (200, the cap view), then updates it', async () => {
      const set = await op().put('/v1/regions/150422/caps/2026', { totalCap: '85310000' });
      expect(set.status).toBe(200);
      expect(set.body).toEqual({ regionCode: '150422', year: 2026, totalCap: '85310000', allocated: '0', transferredIn: '0', transferredOut: '0', capTransferredIn: '0', capTransferredOut: '0', capReservedOut: '0', headroom: '85310000' });

      const updated = await op().put('/v1/regions/150422/caps/2026', { totalCap: '90000000.5' });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ totalCap: '90000000.5', headroom: '90000000.5' });
      expect((await op().get('/v1/regions/150422/caps/2026')).body).toEqual(updated.body);
    });

    it('keeps one cap per year', async () => {
      await op().put('/v1/regions/150422/caps/2027', { totalCap: '1' });
      expect((await op().get('/v1/regions/150422/caps/2026')).body.totalCap).toBe('90000000.5');
      expect((await op().get('/v1/regions/150422/caps/2027')).body.totalCap).toBe('1');
    });

    it('normalises trailing zeros and accepts a zero cap', async () => {
      expect((await op().put('/v1/regions/150422/caps/2028', { totalCap: '5000.000' })).body.totalCap).toBe('5000');
      expect((await op().put('/v1/regions/150422/caps/2028', { totalCap: '0' })).body).toMatchObject({ totalCap: '0', headroom: '0' });
    });

    it('audits concurrent first settings of one cap as one creation and a chain of changes, and the same value twice as one', async () => {
      const values = Array.from({ length: 8 }, (_, i) => String(1000 + (i % 4)));
      const answers = await Promise.all(values.map((totalCap) => op().put('/v1/regions/150422/caps/2039', { totalCap })));
      expect(answers.map((a) => a.status)).toEqual(values.map(() => 200));
      const entries = (await op().get('/v1/audit?entityType=cap&entityId=150422-2039')).body.items;
      expect(entries[0].before).toBeNull();
      expect(entries.slice(1).every((e: any) => e.before !== null)).toBe(true);
      for (let i = 1; i < entries.length; i++) expect(entries[i].before.totalCap).toBe(entries[i - 1].after.totalCap);
      for (const e of entries.slice(1)) expect(e.after.totalCap).not.toBe(e.before.totalCap);
      expect(entries.at(-1).after.totalCap).toBe((await op().get('/v1/regions/150422/caps/2039')).body.totalCap);
    });

    it('audits every cap write as cap.set with before and after', async () => {
      const entries = (await op().get('/v1/audit?entityType=cap&entityId=150422-2026')).body.items;
      expect(entries).toHaveLength(2);
      expect(entries.every((e: any) => e.action === 'cap.set')).toBe(true);
      expect(entries[0]).toMatchObject({ before: null, after: { regionCode: '150422', year: 2026, totalCap: '85310000' } });
      expect(entries[1]).toMatchObject({ before: { totalCap: '85310000' }, after: { totalCap: '90000000.5' } });
    });

    it('writes no audit entry when a region or a cap is put again unchanged', async () => {
      // Once what earlier writes staged is chained: their answers do not wait for it (decision 0043).
      const count = async () => {
        await untilSealed(t);
        return Number((await sql(t, 'SELECT count(*) AS n FROM audit_log'))[0].n);
      };
      await op().put('/v1/regions/150429', { name: '宁城县', parentCode: '150400' });
      await op().put('/v1/regions/150429/caps/2027', { totalCap: '1200' });
      const before = await count();
      const region = await op().put('/v1/regions/150429', { name: '宁城县', parentCode: '150400' });
      expect(region.status).toBe(200);
      const cap = await op().put('/v1/regions/150429/caps/2027', { totalCap: '1200.000' });
      expect(cap.status).toBe(200);
      expect(cap.body.totalCap).toBe('1200');
      expect(await count()).toBe(before);
    });

    it.each([
      ['a JSON number', 85310000],
      ['four decimals', '1.0001'],
      ['a negative figure', '-1'],
      ['an exponent', '1e9'],
      ['16 integer digits', '1000000000000000'],
      ['spaces', ' 1000'],
      ['null', null],
    ])('refuses a totalCap with %s (400)', async (_, totalCap) => {
      const res = await op().put('/v1/regions/150421/caps/2029', { totalCap });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual(['totalCap']);
      expect((await op().get('/v1/regions/150421/caps/2029')).body.totalCap).toBeNull();
    });

    it('refuses a missing totalCap and unknown fields (400)', async () => {
      expect(fieldsOf(await op().put('/v1/regions/150421/caps/2029', {}))).toEqual(['totalCap']);
      expect(fieldsOf(await op().put('/v1/regions/150421/caps/2029', { totalCap: '1', headroom: '1' }))).toEqual(['headroom']);
    });

    it.each(['26', '20260', 'next', '1899', '0000'])('refuses the year %s (400)', async (year) => {
      const res = await op().put(`/v1/regions/150421/caps/${year}`, { totalCap: '1' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(res)).toEqual(['year']);
    });

    it('answers 404 for a cap on a region that does not exist, to the operator too', async () => {
      expectProblem(await op().put('/v1/regions/159999/caps/2026', { totalCap: '1' }), 404, 'NOT_FOUND');
      expectProblem(await op().put('/v1/regions/abc/caps/2026', { totalCap: '1' }), 404, 'NOT_FOUND');
      expectProblem(await op().get('/v1/regions/159999/caps/2026'), 404, 'NOT_FOUND');
      expect(await sql(t, `SELECT 1 FROM caps WHERE region_code = '159999'`)).toHaveLength(0);
    });
  });

  describe('headroom over a subtree: totalCap − allocated − transferredIn + transferredOut', () => {
    const YEAR = 2035;
    const view = async (code: string) => (await op().get(`/v1/regions/${code}/caps/${YEAR}`)).body;
    const issue = (region: string, volume: string, year = YEAR) =>
      sql(t, `INSERT INTO quota_issuances (id, region_code, year, volume, origin_type, origin_id) VALUES ($1, $2, $3, $4, 'allocation', $5)`, [
        randomUUID(), region, year, volume, randomUUID(),
      ]);
    const transfer = (seller: string, buyer: string, volume: string, year = YEAR) =>
      sql(t, `INSERT INTO quota_transfers (trade_id, year, seller_region_code, buyer_region_code, volume) VALUES ($1, $2, $3, $4, $5)`, [
        randomUUID(), year, seller, buyer, volume,
      ]);

    beforeAll(async () => {
      await op().put(`/v1/regions/150000/caps/${YEAR}`, { totalCap: '1000000' });
      await op().put(`/v1/regions/150400/caps/${YEAR}`, { totalCap: '500000' });
      await op().put(`/v1/regions/150421/caps/${YEAR}`, { totalCap: '100000' });
      await issue('150421', '30000.5');
      await issue('150422', '20000');
      await issue('150400', '5000');
      await issue('150200', '40000');
      await issue('150421', '999', YEAR + 1);
      // 包头市 → a county of 赤峰市: into the county and the city, inside the province.
      await transfer('150200', '150421', '7000');
      // From the sister county out to 包头市: out of the city, not the county.
      await transfer('150422', '150200', '2000');
      await transfer('150421', '150200', '888', YEAR - 1);
    });

    it('sums issuances in the county and counts quota moved across its border', async () => {
      expect(await view('150421')).toEqual({
        regionCode: '150421', year: YEAR, totalCap: '100000', allocated: '30000.5', transferredIn: '7000', transferredOut: '0', capTransferredIn: '0', capTransferredOut: '0', capReservedOut: '0', headroom: '62999.5',
      });
    });

    it('sums the city and every county below it', async () => {
      expect(await view('150400')).toEqual({
        regionCode: '150400', year: YEAR, totalCap: '500000', allocated: '55000.5', transferredIn: '7000', transferredOut: '2000', capTransferredIn: '0', capTransferredOut: '0', capReservedOut: '0', headroom: '439999.5',
      });
    });

    it('counts nothing moved for the province when both sides lie inside it', async () => {
      expect(await view('150000')).toEqual({
        regionCode: '150000', year: YEAR, totalCap: '1000000', allocated: '95000.5', transferredIn: '0', transferredOut: '0', capTransferredIn: '0', capTransferredOut: '0', capReservedOut: '0', headroom: '904999.5',
      });
    });

    it('reports the figures of an uncapped county with null headroom', async () => {
      expect(await view('150422')).toEqual({
        regionCode: '150422', year: YEAR, totalCap: null, allocated: '20000', transferredIn: '0', transferredOut: '2000', capTransferredIn: '0', capTransferredOut: '0', capReservedOut: '0', headroom: null,
      });
    });

    it('moves a county’s figures but neither of the city’s when quota moves between two of its counties', async () => {
      const cityBefore = await view('150400');
      const provinceBefore = await view('150000');
      await transfer('150421', '150422', '3000');
      expect(await view('150400')).toEqual(cityBefore);
      expect(await view('150000')).toEqual(provinceBefore);
      expect(await view('150421')).toMatchObject({ transferredIn: '7000', transferredOut: '3000', capTransferredIn: '0', capTransferredOut: '0', capReservedOut: '0', headroom: '65999.5' });
      expect(await view('150422')).toMatchObject({ transferredIn: '3000', transferredOut: '2000' });
    });

    it('goes negative when a cap is lowered below what was issued', async () => {
      const res = await op().put(`/v1/regions/150421/caps/${YEAR}`, { totalCap: '30000' });
      expect(res.body).toMatchObject({ totalCap: '30000', headroom: '-4000.5' });
    });

    it('lets a regulator with jurisdiction read the same view', async () => {
      const reg = await createParticipant(t, 'REGULATOR', '150400');
      expect((await client(t, reg.apiKey).get(`/v1/regions/150400/caps/${YEAR}`)).body).toEqual(await view('150400'));
    });
  });

  describe('moving a region under capped regions', () => {
    // 山西省 with two cities; each case moves a county of its own between them.
    const Y1 = 2036;
    const Y2 = 2037;
    const capOf = async (code: string, year: number) => (await op().get(`/v1/regions/${code}/caps/${year}`)).body;
    const issue = (region: string, volume: string, year: number) =>
      sql(t, `INSERT INTO quota_issuances (id, region_code, year, volume, origin_type, origin_id) VALUES ($1, $2, $3, $4, 'allocation', $5)`, [
        randomUUID(), region, year, volume, randomUUID(),
      ]);
    const transfer = (seller: string, buyer: string, volume: string, year: number) =>
      sql(t, `INSERT INTO quota_transfers (trade_id, year, seller_region_code, buyer_region_code, volume) VALUES ($1, $2, $3, $4, $5)`, [
        randomUUID(), year, seller, buyer, volume,
      ]);
    const auditCount = async (code: string) => (await op().get(`/v1/audit?entityType=region&entityId=${code}`)).body.items.length;

    beforeAll(async () => {
      await seedRegions(t, [
        { code: '140000', name: '山西省', parentCode: undefined },
        { code: '140100', name: '太原市', parentCode: '140000' },
        { code: '140200', name: '大同市', parentCode: '140000' },
        { code: '140300', name: '阳泉市', parentCode: '140000' },
      ]);
      await op().put(`/v1/regions/140100/caps/${Y1}`, { totalCap: '1000' });
      await op().put(`/v1/regions/140100/caps/${Y2}`, { totalCap: '1000' });
      await issue('140100', '900', Y1);
      await issue('140100', '100', Y2);
    });

    it('refuses a move that takes the new parent past its cap (409 CAP_EXCEEDED), naming the first year short, and changes nothing', async () => {
      await seedRegions(t, [{ code: '140221', name: '阳高县', parentCode: '140200' }]);
      await issue('140221', '50', Y1);
      await issue('140221', '950.001', Y2);
      const audited = await auditCount('140221');

      const res = await op().put('/v1/regions/140221', { name: '阳高县', parentCode: '140100' });
      expectProblem(res, 409, 'CAP_EXCEEDED');
      expect(res.body.detail).toContain('140100');
      expect(res.body.detail).toContain(String(Y2));
      expect(res.body.detail).toContain('0.001');

      expect((await op().get('/v1/regions/140221')).body.parentCode).toBe('140200');
      expect((await op().get('/v1/regions/140100')).body.children).not.toContain('140221');
      expect(await capOf('140100', Y1)).toMatchObject({ allocated: '900', headroom: '100' });
      expect(await capOf('140100', Y2)).toMatchObject({ allocated: '100', headroom: '900' });
      expect(await auditCount('140221')).toBe(audited);
    });

    it('moves a region whose figures fit, and the new parent’s cap counts them from then on', async () => {
      await seedRegions(t, [{ code: '140222', name: '天镇县', parentCode: '140200' }]);
      await issue('140222', '100', Y1);
      const res = await op().put('/v1/regions/140222', { name: '天镇县', parentCode: '140100' });
      expect(res.status).toBe(200);
      expect(res.body.parentCode).toBe('140100');
      expect(await capOf('140100', Y1)).toMatchObject({ allocated: '1000', headroom: '0' });
    });

    it('takes into a region already over its cap only a region that lowers its use', async () => {
      await op().put(`/v1/regions/140300/caps/${Y1}`, { totalCap: '10' });
      await issue('140300', '20', Y1);
      expect(await capOf('140300', Y1)).toMatchObject({ headroom: '-10' });

      // Sold 5 m³ more out of the province than it was issued: its use is negative.
      await seedRegions(t, [{ code: '140223', name: '广灵县', parentCode: '140200' }]);
      await issue('140223', '1', Y1);
      await transfer('140223', '150421', '6', Y1);
      expect((await op().put('/v1/regions/140223', { name: '广灵县', parentCode: '140300' })).status).toBe(200);
      expect(await capOf('140300', Y1)).toMatchObject({ headroom: '-5' });

      await seedRegions(t, [{ code: '140224', name: '灵丘县', parentCode: '140200' }]);
      await issue('140224', '0.001', Y1);
      expectProblem(await op().put('/v1/regions/140224', { name: '灵丘县', parentCode: '140300' }), 409, 'CAP_EXCEEDED');
      expect(await capOf('140300', Y1)).toMatchObject({ headroom: '-5' });
    });

    it('checks only the caps the region enters: a move between two cities of a capped province leaves the province as it was', async () => {
      await op().put(`/v1/regions/140000/caps/${Y1}`, { totalCap: '1' });
      await seedRegions(t, [{ code: '140225', name: '浑源县', parentCode: '140200' }]);
      await issue('140225', '30', Y1);
      const province = await capOf('140000', Y1);
      expect(province.headroom.startsWith('-')).toBe(true);
      const res = await op().put('/v1/regions/140225', { name: '浑源县', parentCode: '140000' });
      expect(res.status).toBe(200);
      expect(await capOf('140000', Y1)).toEqual(province);
    });

    it('refuses a move that takes out of a capped region it leaves figures that kept it within its cap (quota the leaving county sold out)', async () => {
      await seedRegions(t, [
        { code: '140400', name: '长治市', parentCode: '140000' },
        { code: '140401', name: '潞州区', parentCode: '140400' },
        { code: '140402', name: '上党区', parentCode: '140400' },
      ]);
      await op().put(`/v1/regions/140400/caps/${Y1}`, { totalCap: '100' });
      await issue('140402', '130', Y1);
      await transfer('140401', '150421', '40', Y1);
      expect(await capOf('140400', Y1)).toMatchObject({ transferredOut: '40', headroom: '10' });

      const res = await op().put('/v1/regions/140401', { name: '潞州区', parentCode: '140000' });
      expectProblem(res, 409, 'CAP_EXCEEDED');
      expect(res.body.detail).toContain('140400');
      expect((await op().get('/v1/regions/140401')).body.parentCode).toBe('140400');
      expect(await capOf('140400', Y1)).toMatchObject({ transferredOut: '40', headroom: '10' });
    });

    it('keeps a party to an open regional trade where it is (409 INVALID_STATE): seller, interested region and the regions above them, until the trade is over', async () => {
      const NEXT = TRADING_YEAR + 1;
      await seedRegions(t, [
        { code: '140500', name: '晋城市', parentCode: '140000' },
        { code: '140501', name: '城区', parentCode: '140500' },
        { code: '140502', name: '沁水县', parentCode: '140500' },
      ]);
      await op().put(`/v1/regions/140501/caps/${NEXT}`, { totalCap: '1000' });
      const [seller, bidder] = [await createParticipant(t, 'REGULATOR', '140501'), await createParticipant(t, 'REGULATOR', '140502')];
      expect((await op().post(`/v1/participants/${bidder.id}/deposits`, { amount: '1000.00', reference: `RT-MOVE-${bidder.id}` })).status).toBe(201);
      const closesAt = new Date(Date.now() + 6 * 86_400_000).toISOString();
      const trade = await client(t, seller.apiKey).post('/v1/regional-trades', { volumePerYear: '100', fromYear: NEXT, toYear: NEXT, askingPrice: '1', closesAt });
      expect(trade.status).toBe(201);
      expect((await client(t, bidder.apiKey).post(`/v1/regional-trades/${trade.body.id}/interests`, { price: '1' })).status).toBe(201);

      for (const [code, name, parentCode] of [['140501', '城区', '140000'], ['140502', '沁水县', '140501'], ['140500', '晋城市', '140100']]) {
        const res = await op().put(`/v1/regions/${code}`, { name, parentCode });
        expectProblem(res, 409, 'INVALID_STATE');
        expect(res.body.detail).toContain(trade.body.id);
      }
      expect((await op().get('/v1/regions/140502')).body.parentCode).toBe('140500');

      expect((await client(t, seller.apiKey).post(`/v1/regional-trades/${trade.body.id}/withdraw`)).status).toBe(200);
      expect((await op().put('/v1/regions/140502', { name: '沁水县', parentCode: '140000' })).status).toBe(200);
    });

    it('serialises moves with allocations: racing each other, never both past the cap', async () => {
      const Y = TRADING_YEAR;
      await seedRegions(t, [{ code: '140700', name: '晋中市', parentCode: '140000' }]);
      await op().put(`/v1/regions/140700/caps/${Y}`, { totalCap: '1000' });
      const regulator = await createParticipant(t, 'REGULATOR', '140000');
      const holder = await createParticipant(t, 'ENTERPRISE', '140000');
      const outcomes: string[] = [];
      for (let i = 0; i < 6; i++) {
        const code = `1407${String(21 + i)}`;
        await seedRegions(t, [{ code, name: `县${i}`, parentCode: '140000' }]);
        const right = await client(t, regulator.apiKey).post('/v1/rights', {
          holderId: holder.id, regionCode: code, source: 'SURFACE', useType: 'INDUSTRY', annualVolume: '1000000',
          validFrom: `${Y}-01-01`, validTo: `${Y}-12-31`, permitNo: `MOVE-RACE-${process.pid}-${i}`,
        });
        expect(right.status).toBe(201);
        const [allocation, move] = await Promise.all([
          client(t, regulator.apiKey).post(`/v1/rights/${right.body.id}/allocations`, { year: Y, volume: '600' }),
          op().put(`/v1/regions/${code}`, { name: `县${i}`, parentCode: '140700' }),
        ]);
        outcomes.push(`${allocation.status}/${move.status}`);
        expect([allocation.status, move.status].filter((s) => s >= 400)).not.toHaveLength(2);
      }
      const city = await capOf('140700', Y);
      expect(Number(city.headroom)).toBeGreaterThanOrEqual(0);
      // Whatever the interleaving, the city counts exactly the allocations of the counties that moved under it.
      const movedIn = outcomes.filter((o) => o.endsWith('/200')).length;
      const bothThrough = outcomes.filter((o) => o === '201/200').length;
      expect(bothThrough).toBeLessThanOrEqual(1);
      expect(movedIn).toBeGreaterThan(0);
      expect(Number(city.allocated)).toBe(600 * bothThrough);
    });

    it("serialises moves with a regulator's approvals of trades: racing each other, never both past the cap", async () => {
      const scene = await capRace(t, { city: '140900', marketCounty: '140981', countyPrefix: '14093', races: 6 });
      for (let i = 0; i < 6; i++) {
        const buyer = await scene.buyer(i);
        expect((await placeOrder(t, scene.seller, scene.marketId, { side: 'SELL', price: '1.00', volume: '600' })).status).toBe(201);
        const bought = await placeOrder(t, buyer, scene.marketId, { side: 'BUY', price: '1.00', volume: '600' });
        expect(bought.body.trades).toHaveLength(1);
        const approve = () => client(t, scene.regulator.apiKey).post(`/v1/trades/${bought.body.trades[0].id}/approve`, {});
        const [approval, move] = await inTurn(i, approve, () => scene.moveIn(i));
        // Either order leaves one refused, for the cap: 500 + 600 does not fit under 1000.
        expect([`${approval.status}/${move.status}`, approval.body.code ?? move.body.code]).toEqual(
          approval.status === 200 ? ['200/409', 'CAP_EXCEEDED'] : ['409/200', 'CHECK_FAILED'],
        );
        expect(await scene.headroom()).toBe(500);
      }
    });

    it('serialises moves with transfers that settle as they are accepted: never both past the cap', async () => {
      const scene = await capRace(t, { city: '140600', marketCounty: '140982', countyPrefix: '14064', races: 6, approvalMode: 'FILING' });
      for (let i = 0; i < 6; i++) {
        const buyer = await scene.buyer(i);
        const proposed = await client(t, scene.seller.apiKey).post('/v1/transfers', { marketId: scene.marketId, buyerId: buyer.id, volume: '600', price: '1.00' });
        expect(proposed.status).toBe(201);
        const accept = () => client(t, buyer.apiKey).post(`/v1/transfers/${proposed.body.id}/accept`, {});
        const [accepted, move] = await inTurn(i, accept, () => scene.moveIn(i));
        expect(accepted.status).toBe(200);
        const trade = (await client(t, scene.seller.apiKey).get(`/v1/trades/${accepted.body.tradeId}`)).body;
        // Settled first, the move is refused for the cap; moved first, the trade fails BUYER_REGION_CAP and waits for a regulator.
        expect([trade.status, move.status]).toEqual(trade.status === 'SETTLED' ? ['SETTLED', 409] : ['PENDING_APPROVAL', 200]);
        expect(await scene.headroom()).toBe(500);
      }
    });

    it('serialises moves with trades that settle as they are matched on the order book: never both past the cap', async () => {
      const scene = await capRace(t, { city: '140500', marketCounty: '140983', countyPrefix: '14055', races: 6, approvalMode: 'FILING' });
      for (let i = 0; i < 6; i++) {
        const buyer = await scene.buyer(i);
        expect((await placeOrder(t, scene.seller, scene.marketId, { side: 'SELL', price: '1.00', volume: '600' })).status).toBe(201);
        const buy = () => placeOrder(t, buyer, scene.marketId, { side: 'BUY', price: '1.00', volume: '600' });
        const [bought, move] = await inTurn(i, buy, () => scene.moveIn(i));
        expect(bought.body.trades).toHaveLength(1);
        // Settled first, the move is refused for the cap; moved first, the trade fails BUYER_REGION_CAP and waits for a regulator.
        const status = bought.body.trades[0].status;
        expect([status, move.status]).toEqual(status === 'SETTLED' ? ['SETTLED', 409] : ['PENDING_APPROVAL', 200]);
        expect(await scene.headroom()).toBe(500);
      }
    });

    it('still renames a region, and changes its flag, without checking any cap', async () => {
      await seedRegions(t, [{ code: '140226', name: '左云县', parentCode: '140300' }]);
      await issue('140226', '500', Y1);
      const res = await op().put('/v1/regions/140226', { name: '左云县（更名）', groundwaterOverdraft: true });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ parentCode: '140300', groundwaterOverdraft: true });
    });
  });
});
