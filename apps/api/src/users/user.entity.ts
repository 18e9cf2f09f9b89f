import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Role } from '@gatehouse/domain';
import { money } from '../database/columns';

/** An internal user: a person who signs in to the console and owns keys. */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'user_email', type: 'text', nullable: true })
  email!: string | null;

  @Column({ name: 'user_alias', type: 'text', nullable: true })
  alias!: string | null;

  @Column({ name: 'user_role', type: 'text' })
  role!: Role;

  /** argon2id hash; null until the user claims an invitation. */
  @Column({ name: 'password_hash', type: 'text', nullable: true, select: false })
  passwordHash!: string | null;

  @Column({ name: 'max_budget', type: 'numeric', nullable: true, transformer: money })
  maxBudget!: number | null;

  @Column({ name: 'budget_duration', type: 'text', nullable: true })
  budgetDuration!: string | null;

  @Column({ name: 'budget_reset_at', type: 'timestamptz', nullable: true })
  budgetResetAt!: Date | null;

  @Column({ type: 'numeric', transformer: money, default: 0 })
  spend!: number;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  models!: string[];

  @Column({ name: 'tpm_limit', type: 'integer', nullable: true })
  tpmLimit!: number | null;

  @Column({ name: 'rpm_limit', type: 'integer', nullable: true })
  rpmLimit!: number | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form JSON by contract
  metadata!: Record<string, any>;

  /** A blocked user cannot sign in, and their sessions and keys are refused. */
  @Column({ type: 'boolean', default: false })
  blocked!: boolean;

  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
