import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One change to users, invitations, keys or sessions: who, what, on what, before and after. */
@Entity({ name: 'audit_events' })
export class AuditEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  /** A user id, or `master_key`. */
  @Column({ type: 'text' })
  actor!: string;

  @Column({ name: 'actor_kind', type: 'text' })
  actorKind!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'target_type', type: 'text' })
  targetType!: string;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before!: object | null;

  @Column({ type: 'jsonb', nullable: true })
  after!: object | null;
}
