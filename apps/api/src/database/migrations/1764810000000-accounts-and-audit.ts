import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The account side: blocked users, password-reset links (kept with invitations, as both
 * are one-time links that set a password), whether a link's email went out, and the
 * audit log of every change.
 */
export class AccountsAndAudit1764810000000 implements MigrationInterface {
  name = 'AccountsAndAudit1764810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD COLUMN blocked boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `ALTER TABLE invitations
         ADD COLUMN purpose text NOT NULL DEFAULT 'invitation'
           CHECK (purpose IN ('invitation', 'password_reset')),
         ADD COLUMN email_status text NOT NULL DEFAULT 'not_requested'
           CHECK (email_status IN ('not_requested', 'disabled', 'pending', 'sent', 'failed')),
         ADD COLUMN email_error text,
         ADD COLUMN email_sent_at timestamptz`,
    );

    await queryRunner.query(`
      CREATE TABLE audit_events (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_at  timestamptz NOT NULL DEFAULT now(),
        actor       text NOT NULL,
        actor_kind  text NOT NULL,
        action      text NOT NULL,
        target_type text NOT NULL,
        target_id   text,
        before      jsonb,
        after       jsonb,
        request_id  text
      )`);
    await queryRunner.query(
      `CREATE INDEX audit_events_created_idx ON audit_events (created_at, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX audit_events_target_idx ON audit_events (target_type, target_id)`,
    );
    await queryRunner.query(`CREATE INDEX audit_events_actor_idx ON audit_events (actor)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_events`);
    await queryRunner.query(
      `ALTER TABLE invitations DROP COLUMN purpose, DROP COLUMN email_status,
         DROP COLUMN email_error, DROP COLUMN email_sent_at`,
    );
    await queryRunner.query(`ALTER TABLE users DROP COLUMN blocked`);
  }
}
