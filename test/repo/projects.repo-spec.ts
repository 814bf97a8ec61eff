import { randomUUID } from 'node:crypto';
import { ProjectsRepository } from '../../src/modules/projects/projects.repository';
import { participant, regionTree } from './support/fixtures';
import { openRepoDatabase, RepoDatabase, sqlState } from './support/repo-database';

const projects = new ProjectsRepository();

const figures = (saved: string) => ({
  baselineVolume: '100', actualVolume: '80', savedVolume: saved, savedValue: '80.00', serviceCompanyAmount: '56.00', waterUserAmount: '24.00',
  shortfallVolume: '0', compensation: '0.00',
});

describe('projects repository (projects, readings, statements)', () => {
  let db: RepoDatabase;
  let projectId: string;
  let company: string;

  beforeAll(async () => {
    db = await openRepoDatabase();
    await regionTree(db);
    company = (await participant(db, 'SERVICE_COMPANY', '150421')).id;
    const user = (await participant(db, 'ENTERPRISE', '150421')).id;
    projectId = randomUUID();
    await db.tx((tx) =>
      projects.insertProject(tx, {
        id: projectId, name: 'cooling water', model: 'BENEFIT_SHARING', service_company_id: company, water_user_id: user, region_code: '150421',
        source: 'SURFACE', start_date: '2026-01-01', end_date: '2026-12-31', water_price: '4', baseline_method: 'FIXED', baseline_volume_per_period: '100',
        baseline_intensity: null, terms: { serviceShare: '0.7' }, status: 'ACTIVE', created_by: company,
      }),
    );
  });
  afterAll(() => db.close());

  /** A reading and its statement, as a recorded reading writes them. */
  const record = (start: string, end: string, saved = '20', supersedes: string | null = null) =>
    db.tx(async (tx) => {
      const id = randomUUID();
      const statementId = randomUUID();
      if (supersedes) await projects.supersede(tx, supersedes, id);
      await projects.insertReading(tx, { id, project_id: projectId, period_start: start, period_end: end, volume: '80', output: null, supersedes, created_by: company });
      await projects.insertStatement(tx, statementId, projectId, id, figures(saved));
      return { id, statementId };
    });

  it('reads a project back with its dates as days and its terms as written', async () => {
    expect(await projects.find(db.pool, projectId)).toMatchObject({ start_day: '2026-01-01', end_day: '2026-12-31', terms: { serviceShare: '0.7' }, model: 'BENEFIT_SHARING' });
  });

  it('finds live readings sharing a day with a period, both ends included', async () => {
    const q1 = await record('2026-01-01', '2026-03-31');
    expect((await projects.overlapping(db.pool, projectId, '2026-03-31', '2026-04-30', null)).map((r) => r.id)).toEqual([q1.id]);
    expect(await projects.overlapping(db.pool, projectId, '2026-04-01', '2026-04-30', null)).toEqual([]);
    expect(await projects.overlapping(db.pool, projectId, '2026-02-01', '2026-02-28', q1.id)).toEqual([]);
  });

  it('refuses an overlapping live reading by exclusion constraint, even when the check is skipped', async () => {
    expect(await sqlState(record('2026-03-15', '2026-04-15'))).toBe('23P01');
  });

  it('lets a correction replace a reading of the same period: the old one is kept, marked, and stops counting', async () => {
    const q2 = await record('2026-04-01', '2026-06-30', '10');
    const before = (await projects.findWithTotals(db.pool, projectId))!.totals;
    const fix = await record('2026-04-01', '2026-06-30', '15', q2.id);
    const after = (await projects.findWithTotals(db.pool, projectId))!.totals;
    expect(Number(after.saved_volume) - Number(before.saved_volume)).toBe(5);
    expect((await projects.statement(db.pool, projectId, q2.statementId))!.superseded).toBe(true);
    expect((await projects.lockReading(db.pool, projectId, q2.id))!.superseded_by).toBe(fix.id);
    const statements = await projects.statements(db.pool, projectId, null, 100);
    expect(statements.map((s) => s.seq)).toEqual([...statements.map((s) => s.seq)].sort((a, b) => Number(a) - Number(b)));
  });

  it('certifies a statement only with its figures, year and certifier (CHECK), once', async () => {
    const q3 = await record('2026-07-01', '2026-09-30');
    expect(await sqlState(db.pool.query(`UPDATE statements SET status = 'CERTIFIED' WHERE id = $1`, [q3.statementId]))).toBe('23514');
    await db.tx((tx) => projects.certify(tx, q3.statementId, '20', 2026, company));
    expect(await projects.lockStatementOfReading(db.pool, q3.id)).toMatchObject({ status: 'CERTIFIED' });
    expect((await projects.findWithTotals(db.pool, projectId))!.totals.certified_volume).toBe('20.000');
  });

  it('records confirmations in order and pages readings oldest first', async () => {
    const q4 = await record('2026-10-01', '2026-10-31');
    await db.tx((tx) => projects.confirm(tx, q4.statementId, [company], 'DRAFT'));
    expect((await projects.statement(db.pool, projectId, q4.statementId))!.confirmed_by).toEqual([company]);
    const [first, second] = await projects.readings(db.pool, projectId, null, 2);
    expect(Number(second.seq)).toBeGreaterThan(Number(first.seq));
    expect((await projects.readings(db.pool, projectId, second.seq, 100)).every((r) => Number(r.seq) > Number(second.seq))).toBe(true);
  });
});
