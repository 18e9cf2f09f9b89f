import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type EmailStatus = 'not_requested' | 'disabled' | 'pending' | 'sent' | 'failed';

/**
 * A one-time link that lets a user set their password: an invitation (valid for seven
 * days) or a password reset started by an admin (valid for one day).
 */
@Entity({ name: 'invitations' })
export class InvitationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'is_accepted', type: 'boolean', default: false })
  isAccepted!: boolean;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'text', nullable: true })
  updatedBy!: string | null;

  @Column({ type: 'text', default: 'invitation' })
  purpose!: 'invitation' | 'password_reset';

  /** Whether the link went out by email: never asked, email off, on its way, sent, failed. */
  @Column({ name: 'email_status', type: 'text', default: 'not_requested' })
  emailStatus!: EmailStatus;

  @Column({ name: 'email_error', type: 'text', nullable: true })
  emailError!: string | null;

  @Column({ name: 'email_sent_at', type: 'timestamptz', nullable: true })
  emailSentAt!: Date | null;
}
