import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contract water-saving (合同节水管理): projects binding a service company and a water user,
 * the meter readings of their settlement periods, and one statement per reading.
 *
 * Readings are never edited: a correction is a new reading and the old one is kept with
 * `superseded_by` set. Live readings of a project may not share a day; an exclusion
 * constraint holds that even if a code path forgot to check (btree_gist is a trusted
 * extension, so the database owner may create it).
 */
export class ContractWaterSaving1763900300000 implements MigrationInterface {
  name = 'ContractWaterSaving1763900300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    await q.query(`
      CREATE TABLE projects (
        id                          uuid PRIMARY KEY,
        name                        text NOT NULL,
        model                       text NOT NULL CHECK (model IN ('BENEFIT_SHARING','GUARANTEED_SAVING','COST_HOSTING')),
        service_company_id          uuid NOT NULL REFERENCES participants(id),
        water_user_id               uuid NOT NULL REFERENCES participants(id),
        region_code                 char(6) NOT NULL REFERENCES regions(code),
        source                      text NOT NULL CHECK (source IN ('SURFACE','GROUNDWATER','RECLAIMED','MINE_WATER','RAINWATER')),
        start_date                  date NOT NULL,
        end_date                    date NOT NULL CHECK (end_date >= start_date),
        water_price                 numeric(18,4) NOT NULL CHECK (water_price > 0),
        baseline_method             text NOT NULL CHECK (baseline_method IN ('FIXED','INTENSITY')),
        baseline_volume_per_period  numeric(18,3) CHECK (baseline_volume_per_period > 0),
        baseline_intensity          numeric(24,6) CHECK (baseline_intensity > 0),
        terms                       jsonb NOT NULL,
        status                      text NOT NULL CHECK (status IN ('ACTIVE')),
        created_by                  uuid NOT NULL REFERENCES participants(id),
        created_at                  timestamptz NOT NULL DEFAULT now(),
        CHECK (service_company_id <> water_user_id),
        CHECK ((baseline_method = 'FIXED') = (baseline_volume_per_period IS NOT NULL)),
        CHECK ((baseline_method = 'INTENSITY') = (baseline_intensity IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX projects_service_company_idx ON projects (service_company_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX projects_water_user_idx ON projects (water_user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX projects_region_idx ON projects (region_code, created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE readings (
        id             uuid PRIMARY KEY,
        project_id     uuid NOT NULL REFERENCES projects(id),
        period_start   date NOT NULL,
        period_end     date NOT NULL CHECK (period_end >= period_start),
        volume         numeric(18,3) NOT NULL CHECK (volume >= 0),
        output         numeric(18,3) CHECK (output >= 0),
        supersedes     uuid UNIQUE REFERENCES readings(id),
        -- Set before the correction is inserted (it must leave the exclusion first), so the
        -- reference is checked at commit.
        superseded_by  uuid UNIQUE REFERENCES readings(id) DEFERRABLE INITIALLY DEFERRED,
        created_by     uuid NOT NULL REFERENCES participants(id),
        created_at     timestamptz NOT NULL DEFAULT now(),
        seq            bigserial NOT NULL UNIQUE,
        CONSTRAINT readings_live_periods_disjoint EXCLUDE USING gist (
          project_id WITH =, daterange(period_start, period_end, '[]') WITH &&
        ) WHERE (superseded_by IS NULL)
      )`);
    await q.query(`CREATE INDEX readings_project_idx ON readings (project_id, seq)`);

    await q.query(`
      CREATE TABLE statements (
        id                      uuid PRIMARY KEY,
        project_id              uuid NOT NULL REFERENCES projects(id),
        reading_id              uuid NOT NULL UNIQUE REFERENCES readings(id),
        -- Unbounded numerics: an INTENSITY baseline and its values can outgrow a quota column.
        baseline_volume         numeric NOT NULL,
        actual_volume           numeric NOT NULL,
        saved_volume            numeric NOT NULL,
        saved_value             numeric NOT NULL,
        service_company_amount  numeric NOT NULL,
        water_user_amount       numeric NOT NULL,
        shortfall_volume        numeric NOT NULL,
        compensation            numeric NOT NULL,
        status                  text NOT NULL CHECK (status IN ('DRAFT','CONFIRMED','CERTIFIED')),
        confirmed_by            uuid[] NOT NULL DEFAULT '{}',
        certified_volume        numeric(18,3) CHECK (certified_volume >= 0),
        certified_year          integer CHECK (certified_year BETWEEN 1900 AND 9999),
        certified_by            uuid REFERENCES participants(id),
        certified_at            timestamptz,
        created_at              timestamptz NOT NULL DEFAULT now(),
        seq                     bigserial NOT NULL UNIQUE,
        CHECK ((status = 'CERTIFIED') = (certified_at IS NOT NULL)),
        CHECK ((status = 'CERTIFIED') = (certified_volume IS NOT NULL AND certified_year IS NOT NULL AND certified_by IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX statements_project_idx ON statements (project_id, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // btree_gist stays: other schemas may rely on it and it holds no data.
    for (const t of ['statements', 'readings', 'projects']) await q.query(`DROP TABLE ${t}`);
  }
}
