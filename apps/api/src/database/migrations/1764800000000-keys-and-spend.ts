import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The spend log, the indexes behind every sort order of `/key/list`, and a running count
 * of keys so that an unfiltered list of a million keys does not count them on each page.
 */
export class KeysAndSpend1764800000000 implements MigrationInterface {
  name = 'KeysAndSpend1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE spend_logs (
        request_id        text PRIMARY KEY,
        api_key           text NOT NULL,
        key_id            uuid,
        user_id           text,
        model             text NOT NULL,
        call_type         text NOT NULL DEFAULT 'chat_completion',
        prompt_tokens     integer NOT NULL DEFAULT 0,
        completion_tokens integer NOT NULL DEFAULT 0,
        total_tokens      integer NOT NULL DEFAULT 0,
        spend             numeric NOT NULL DEFAULT 0,
        start_time        timestamptz NOT NULL,
        end_time          timestamptz NOT NULL,
        status            text NOT NULL CHECK (status IN ('success', 'failure')),
        metadata          jsonb NOT NULL DEFAULT '{}'
      )`);
    await queryRunner.query(`CREATE INDEX spend_logs_start_idx ON spend_logs (start_time)`);
    await queryRunner.query(`CREATE INDEX spend_logs_user_idx ON spend_logs (user_id, start_time)`);
    await queryRunner.query(`CREATE INDEX spend_logs_key_idx ON spend_logs (key_id, start_time)`);

    await queryRunner.query(`CREATE INDEX keys_updated_at_idx ON keys (updated_at, id)`);
    await queryRunner.query(`CREATE INDEX keys_spend_idx ON keys (spend, id)`);
    await queryRunner.query(`CREATE INDEX keys_max_budget_idx ON keys (max_budget, id)`);
    await queryRunner.query(`CREATE INDEX keys_alias_idx ON keys (key_alias, id)`);
    await queryRunner.query(
      `CREATE INDEX keys_budget_reset_idx ON keys (budget_reset_at)
         WHERE budget_reset_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX users_budget_reset_idx ON users (budget_reset_at)
         WHERE budget_reset_at IS NOT NULL`,
    );

    await queryRunner.query(`CREATE TABLE key_totals (total bigint NOT NULL)`);
    await queryRunner.query(`INSERT INTO key_totals (total) SELECT count(*) FROM keys`);
    await queryRunner.query(`
      CREATE FUNCTION key_totals_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE key_totals SET total = total + (SELECT count(*) FROM changed);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION key_totals_remove() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE key_totals SET total = total - (SELECT count(*) FROM changed);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER keys_counted_in AFTER INSERT ON keys
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION key_totals_add()`);
    await queryRunner.query(`
      CREATE TRIGGER keys_counted_out AFTER DELETE ON keys
        REFERENCING OLD TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION key_totals_remove()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER keys_counted_out ON keys`);
    await queryRunner.query(`DROP TRIGGER keys_counted_in ON keys`);
    await queryRunner.query(`DROP FUNCTION key_totals_remove()`);
    await queryRunner.query(`DROP FUNCTION key_totals_add()`);
    await queryRunner.query(`DROP TABLE key_totals`);
    await queryRunner.query(`DROP INDEX users_budget_reset_idx`);
    await queryRunner.query(`DROP INDEX keys_budget_reset_idx`);
    await queryRunner.query(`DROP INDEX keys_alias_idx`);
    await queryRunner.query(`DROP INDEX keys_max_budget_idx`);
    await queryRunner.query(`DROP INDEX keys_spend_idx`);
    await queryRunner.query(`DROP INDEX keys_updated_at_idx`);
    await queryRunner.query(`DROP TABLE spend_logs`);
  }
}
