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
 * Writes spend. The log row and the running totals on the key and the user move in one
 * transaction, so a total always equals the sum of its rows; a request id is recorded at
 * most once, so a retried write cannot count twice.
 */
@Injectable()
export class SpendLedger {
  private readonly logger = new Logger('Spend');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records one request; false when this request id was already recorded. */
  async record(entry: SpendEntry): Promise<boolean> {
    checkEntry(entry);

    return this.dataSource.transaction(async (manager) => {
      const inserted: { request_id: string }[] = await manager.query(
        `INSERT INTO spend_logs (request_id, api_key, key_id, user_id, model, call_type,
                                 prompt_tokens, completion_tokens, total_tokens, spend,
                                 start_time, end_time, status, metadata)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (request_id) DO NOTHING
         RETURNING request_id`,
        [
          entry.requestId,
          entry.keyToken,
          entry.keyId,
          entry.userId,
          entry.model,
          entry.callType,
          entry.promptTokens,
          entry.completionTokens,
          entry.promptTokens + entry.completionTokens,
          entry.spend,
          entry.startTime,
          entry.endTime,
          entry.status,
          entry.metadata ?? {},
        ],
      );
      if (returnedRowCount(inserted) === 0) {
        return false;
      }

      if (entry.spend > 0 && entry.keyId) {
        await manager.query(`UPDATE keys SET spend = spend + $2 WHERE id = $1`, [
          entry.keyId,
          entry.spend,
        ]);
      }
      if (entry.spend > 0 && entry.userId) {
        await manager.query(`UPDATE users SET spend = spend + $2 WHERE user_id = $1`, [
          entry.userId,
          entry.spend,
        ]);
      }

      return true;
    });
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

function checkEntry(entry: SpendEntry): void {
  const counts = [entry.promptTokens, entry.completionTokens];
  if (counts.some((count) => !Number.isInteger(count) || count < 0)) {
    throw new Error('token counts must be whole numbers of zero or more');
  }
  if (!Number.isFinite(entry.spend) || entry.spend < 0) {
    throw new Error('spend must be a finite amount of zero or more');
  }
}
