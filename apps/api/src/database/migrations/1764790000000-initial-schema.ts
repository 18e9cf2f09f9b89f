import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users, invitations, keys and console sessions. Plain SQL that PostgreSQL 15 and
 * PGlite (PostgreSQL 18) both accept.
 */
export class InitialSchema1764790000000 implements MigrationInterface {
  name = 'InitialSchema1764790000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        user_id         text PRIMARY KEY,
        user_email      text,
        user_alias      text,
        user_role       text NOT NULL DEFAULT 'internal_user_viewer'
          CHECK (user_role IN ('proxy_admin', 'proxy_admin_viewer',
                               'internal_user', 'internal_user_viewer')),
        password_hash   text,
        max_budget      numeric,
        budget_duration text,
        budget_reset_at timestamptz,
        spend           numeric NOT NULL DEFAULT 0,
        models          jsonb NOT NULL DEFAULT '[]',
        tpm_limit       integer,
        rpm_limit       integer,
        metadata        jsonb NOT NULL DEFAULT '{}',
        created_by      text,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(user_email))`);
    await queryRunner.query(`CREATE INDEX users_created_at_idx ON users (created_at, user_id)`);

    await queryRunner.query(`
      CREATE TABLE invitations (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id     text NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
        is_accepted boolean NOT NULL DEFAULT false,
        accepted_at timestamptz,
        expires_at  timestamptz NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        created_by  text,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        updated_by  text
      )`);
    await queryRunner.query(`CREATE INDEX invitations_user_idx ON invitations (user_id)`);

    await queryRunner.query(`
      CREATE TABLE keys (
        id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token                     text NOT NULL UNIQUE,
        previous_token            text,
        previous_token_expires_at timestamptz,
        key_name                  text NOT NULL,
        key_alias                 text,
        user_id                   text REFERENCES users (user_id) ON DELETE CASCADE,
        models                    jsonb NOT NULL DEFAULT '[]',
        max_budget                numeric,
        budget_duration           text,
        budget_reset_at           timestamptz,
        spend                     numeric NOT NULL DEFAULT 0,
        tpm_limit                 integer,
        rpm_limit                 integer,
        max_parallel_requests     integer,
        metadata                  jsonb NOT NULL DEFAULT '{}',
        blocked                   boolean NOT NULL DEFAULT false,
        expires                   timestamptz,
        created_by                text,
        updated_by                text,
        created_at                timestamptz NOT NULL DEFAULT now(),
        updated_at                timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX keys_user_idx ON keys (user_id, created_at, id)`);
    await queryRunner.query(`CREATE INDEX keys_created_at_idx ON keys (created_at, id)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX keys_previous_token_key ON keys (previous_token)
         WHERE previous_token IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE sessions (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash   text NOT NULL UNIQUE,
        user_id      text NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
        created_at   timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz NOT NULL,
        user_agent   text,
        ip           text
      )`);
    await queryRunner.query(`CREATE INDEX sessions_user_idx ON sessions (user_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sessions`);
    await queryRunner.query(`DROP TABLE keys`);
    await queryRunner.query(`DROP TABLE invitations`);
    await queryRunner.query(`DROP TABLE users`);
  }
}
