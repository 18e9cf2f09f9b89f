import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { money } from '../database/columns';

/**
 * A virtual key. Only the SHA-256 of its secret is kept (`token`); the row keeps its id
 * when the secret is regenerated, and the previous secret may work for a grace period.
 */
@Entity({ name: 'keys' })
export class KeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  token!: string;

  @Column({ name: 'previous_token', type: 'text', nullable: true })
  previousToken!: string | null;

  @Column({ name: 'previous_token_expires_at', type: 'timestamptz', nullable: true })
  previousTokenExpiresAt!: Date | null;

  /** `sk-...` and the secret's last four characters, for people to tell keys apart. */
  @Column({ name: 'key_name', type: 'text' })
  keyName!: string;

  @Column({ name: 'key_alias', type: 'text', nullable: true })
  alias!: string | null;

  @Column({ name: 'user_id', type: 'text', nullable: true })
  userId!: string | null;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  models!: string[];

  @Column({ name: 'max_budget', type: 'numeric', nullable: true, transformer: money })
  maxBudget!: number | null;

  @Column({ name: 'budget_duration', type: 'text', nullable: true })
  budgetDuration!: string | null;

  @Column({ name: 'budget_reset_at', type: 'timestamptz', nullable: true })
  budgetResetAt!: Date | null;

  @Column({ type: 'numeric', transformer: money, default: 0 })
  spend!: number;

  @Column({ name: 'tpm_limit', type: 'integer', nullable: true })
  tpmLimit!: number | null;

  @Column({ name: 'rpm_limit', type: 'integer', nullable: true })
  rpmLimit!: number | null;

  @Column({ name: 'max_parallel_requests', type: 'integer', nullable: true })
  maxParallelRequests!: number | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form JSON by contract
  metadata!: Record<string, any>;

  @Column({ type: 'boolean', default: false })
  blocked!: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  expires!: Date | null;

  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'updated_by', type: 'text', nullable: true })
  updatedBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
