import { Column, Entity, PrimaryColumn } from 'typeorm';
import { money } from '../database/columns';

/** One gateway request and what it cost. Rows are never changed once written. */
@Entity({ name: 'spend_logs' })
export class SpendLogEntity {
  @PrimaryColumn({ name: 'request_id', type: 'text' })
  requestId!: string;

  /** The key's token when the request was made (it changes when a key is regenerated). */
  @Column({ name: 'api_key', type: 'text' })
  apiKey!: string;

  @Column({ name: 'key_id', type: 'uuid', nullable: true })
  keyId!: string | null;

  @Column({ name: 'user_id', type: 'text', nullable: true })
  userId!: string | null;

  @Column({ type: 'text' })
  model!: string;

  @Column({ name: 'call_type', type: 'text' })
  callType!: string;

  @Column({ name: 'prompt_tokens', type: 'integer' })
  promptTokens!: number;

  @Column({ name: 'completion_tokens', type: 'integer' })
  completionTokens!: number;

  @Column({ name: 'total_tokens', type: 'integer' })
  totalTokens!: number;

  @Column({ type: 'numeric', transformer: money })
  spend!: number;

  @Column({ name: 'start_time', type: 'timestamptz' })
  startTime!: Date;

  @Column({ name: 'end_time', type: 'timestamptz' })
  endTime!: Date;

  @Column({ type: 'text' })
  status!: 'success' | 'failure';

  @Column({ type: 'jsonb', default: () => `'{}'` })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form JSON
  metadata!: Record<string, any>;
}
