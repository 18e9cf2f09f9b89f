import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { returnedRowCount } from '../common/query-result';

/** What one gateway request cost, as the gateway (or an import) reports it. */
export interface SpendEntry {
  requestId: string;
  keyId: string | null;
  keyToken: string;
  userId: string | null;
  model: string;
  callType: string;
  promptTokens: number;
  completionTokens: number;
  spend: number;
  startTime: Date;
  endTime: Date;
  status: 'success' | 'failure';
  metadata?: Record<string, unknown>;
}

/**
 * Writes spend. The log rows and the running totals on keys and users move in one
 * statement, so a total always equals the sum of its rows; a request id is recorded at
 * most once, so a retried write cannot count twice.
 */
@Injectable()
export class SpendLedger {
  private readonly logger = new Logger('Spend');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records one request; false when this request id was already recorded. */
  async record(entry: SpendEntry): Promise<boolean> {
    return (await this.recordMany([entry])) === 1;
  }

  /**
   * Records many requests in one statement, however many there are: the rows, and the
   * totals of their keys and users, summed by the database (exact `numeric`). A single
   * statement is atomic, so totals and rows never disagree. Returns how many rows were new.
   */
  async recordMany(entries: SpendEntry[]): Promise<number> {
    entries.forEach(checkEntry);
    if (entries.length === 0) {
      return 0;
    }

    const rows: { inserted: string }[] = await this.dataSource.query(
      `WITH inserted AS (
         INSERT INTO spend_logs (request_id, api_key, key_id, user_id, model, call_type,
                                 prompt_tokens, completion_tokens, total_tokens, spend,
                                 start_time, end_time, status, metadata)
         SELECT request_id, api_key, key_id, user_id, model, call_type, prompt_tokens,
                completion_tokens, prompt_tokens + completion_tokens, spend, start_time,
                end_time, status, metadata::jsonb
           FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[],
                       $6::text[], $7::int[], $8::int[], $9::numeric[], $10::timestamptz[],
                       $11::timestamptz[], $12::text[], $13::text[])
             AS row(request_id, api_key, key_id, user_id, model, call_type, prompt_tokens,
                    completion_tokens, spend, start_time, end_time, status, metadata)
         ON CONFLICT (request_id) DO NOTHING
         RETURNING key_id, user_id, spend
       ),
       key_totals AS (
         UPDATE keys SET spend = keys.spend + total.amount
           FROM (SELECT key_id, sum(spend) AS amount FROM inserted
                  WHERE key_id IS NOT NULL AND spend > 0 GROUP BY key_id) AS total
          WHERE keys.id = total.key_id
         RETURNING keys.id
       ),
       user_totals AS (
         UPDATE users SET spend = users.spend + total.amount
           FROM (SELECT user_id, sum(spend) AS amount FROM inserted
                  WHERE user_id IS NOT NULL AND spend > 0 GROUP BY user_id) AS total
          WHERE users.user_id = total.user_id
         RETURNING users.user_id
       )
       SELECT count(*) AS inserted FROM inserted`,
      columnsOf(entries),
    );

    return Number(rows[0]?.inserted ?? 0);
  }

  /** Starts a new budget period for every key and user whose period has ended. */
  async resetDueBudgets(): Promise<number> {
    let reset = 0;
    for (const table of ['keys', 'users'] as const) {
      const id = table === 'keys' ? 'id' : 'user_id';
      const rows: unknown[] = await this.dataSource.query(
        `UPDATE ${table}
            SET spend = 0,
                budget_reset_at = now() + ${INTERVAL_OF_DURATION}
          WHERE budget_reset_at <= now() AND budget_duration IS NOT NULL
        RETURNING ${id}`,
      );
      reset += returnedRowCount(rows);
    }

    if (reset > 0) {
      this.logger.log({ reset }, 'budgets reset');
    }

    return reset;
  }
}

/**
 * A duration (`30s`, `30m`, `30h`, `30d`, `1mo`) as a PostgreSQL interval, whose month
 * arithmetic keeps the day of month and clamps to the month's end, like `addDuration`.
 */
const INTERVAL_OF_DURATION = `(
  regexp_replace(budget_duration, '^(\\d+)(mo|s|m|h|d)$', '\\1') ||
  CASE regexp_replace(budget_duration, '^\\d+', '')
    WHEN 's' THEN ' seconds' WHEN 'm' THEN ' minutes' WHEN 'h' THEN ' hours'
    WHEN 'd' THEN ' days' ELSE ' months' END
)::interval`;

function columnsOf(entries: SpendEntry[]): unknown[][] {
  return [
    entries.map((e) => e.requestId),
    entries.map((e) => e.keyToken),
    entries.map((e) => e.keyId),
    entries.map((e) => e.userId),
    entries.map((e) => e.model),
    entries.map((e) => e.callType),
    entries.map((e) => e.promptTokens),
    entries.map((e) => e.completionTokens),
    entries.map((e) => String(e.spend)),
    entries.map((e) => e.startTime.toISOString()),
    entries.map((e) => e.endTime.toISOString()),
    entries.map((e) => e.status),
    entries.map((e) => JSON.stringify(e.metadata ?? {})),
  ];
}

function checkEntry(entry: SpendEntry): void {
  const counts = [entry.promptTokens, entry.completionTokens];
  if (counts.some((count) => !Number.isInteger(count) || count < 0)) {
    throw new Error('token counts must be whole numbers of zero or more');
  }
  if (!Number.isFinite(entry.spend) || entry.spend < 0) {
    throw new Error('spend must be a finite amount of zero or more');
  }
}
