import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A participant row never changes once written: no endpoint edits one, and each instance
 * keeps the rows the trade path reads for its whole life (decision 0023,
 * `ParticipantsService.rowsById`). The database now refuses an update, so that no
 * statement can make those copies stale. A correction would be a migration that lifts
 * this, with every instance restarted after it.
 */
export class ParticipantsImmutable1764600100000 implements MigrationInterface {
  name = 'ParticipantsImmutable1764600100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION participants_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'participants are immutable: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER participants_no_update BEFORE UPDATE ON participants
      FOR EACH ROW EXECUTE FUNCTION participants_immutable()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER participants_no_update ON participants`);
    await q.query(`DROP FUNCTION participants_immutable()`);
  }
}
