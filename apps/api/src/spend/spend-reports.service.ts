import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { DailyActivityDay, DailyActivityResponse, SpendLog, SpendMetrics } from '@gatehouse/domain';
import { ApiError } from '../common/api-error';
import { Caller } from '../auth/principal';
import { keyTokenOf } from '../keys/key-secret';
import { DailyActivityQuery, SpendLogsQuery } from './dto/spend-queries.dto';
import { SpendLogEntity } from './spend-log.entity';
import { toSpendLog } from './spend-log.mapper';

/** More rows than a person reads; narrow by date, key or user to see older ones. */
const MAX_LOG_ROWS = 10_000;
const MAX_ACTIVITY_DAYS = 366;
/** Without `page_size`, every day of the longest range fits on one page. */
const DAYS_PER_PAGE = MAX_ACTIVITY_DAYS;
const DAY_MS = 86_400_000;

interface ActivityRow {
  day: string;
  model: string;
  key_token: string;
  key_alias: string | null;
  spend: string;
  prompt_tokens: string;
  completion_tokens: string;
  total_tokens: string;
  requests: string;
  successes: string;
  failures: string;
}

/** Reads of spend: logs, daily activity and proxy-wide totals, scoped to the caller. */
@Injectable()
export class SpendReports {
  constructor(
    @InjectRepository(SpendLogEntity) private readonly rows: Repository<SpendLogEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async logs(query: SpendLogsQuery, caller: Caller): Promise<SpendLog[] | object[]> {
    const userId = this.userFilter(query.user_id, caller);
    const builder = this.rows.createQueryBuilder('log');

    if (userId !== undefined) {
      builder.andWhere('log.user_id = :userId', { userId });
    }
    if (query.api_key) {
      const token = keyTokenOf(query.api_key);
      // A regenerated key keeps its id: its older rows carry its previous token.
      builder.andWhere(
        '(log.api_key = :token OR log.key_id = (SELECT id FROM keys WHERE token = :token))',
        { token },
      );
    }
    if (query.request_id) {
      builder.andWhere('log.request_id = :requestId', { requestId: query.request_id });
    }
    if (query.start_date) {
      builder.andWhere('log.start_time >= :start', { start: startOf(query.start_date) });
    }
    if (query.end_date) {
      builder.andWhere('log.start_time < :end', { end: endOf(query.end_date) });
    }

    const rows = await builder.orderBy('log.start_time', 'DESC').limit(MAX_LOG_ROWS).getMany();

    return query.summarize ? summarizeByDay(rows) : rows.map(toSpendLog);
  }

  async dailyActivity(query: DailyActivityQuery, caller: Caller): Promise<DailyActivityResponse> {
    const start = startOf(query.start_date);
    const end = endOf(query.end_date);
    if (end <= start) {
      throw ApiError.badRequest('end_date must not be before start_date', 'end_date');
    }
    if (end.getTime() - start.getTime() > MAX_ACTIVITY_DAYS * DAY_MS) {
      throw ApiError.badRequest(`A range can span at most ${MAX_ACTIVITY_DAYS} days`, 'end_date');
    }

    const userId = this.userFilter(query.user_id, caller);
    const rows: ActivityRow[] = await this.dataSource.query(
      `SELECT to_char(log.start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
              log.model,
              coalesce(key.token, log.api_key) AS key_token,
              key.key_alias,
              sum(log.spend) AS spend,
              sum(log.prompt_tokens) AS prompt_tokens,
              sum(log.completion_tokens) AS completion_tokens,
              sum(log.total_tokens) AS total_tokens,
              count(*) AS requests,
              count(*) FILTER (WHERE log.status = 'success') AS successes,
              count(*) FILTER (WHERE log.status = 'failure') AS failures
         FROM spend_logs log
         LEFT JOIN keys key ON key.id = log.key_id
        WHERE log.start_time >= $1 AND log.start_time < $2
          AND ($3::text IS NULL OR log.user_id = $3)
        GROUP BY 1, 2, 3, 4
        ORDER BY 1`,
      [start, end, userId ?? null],
    );

    return toDailyActivity(rows, query.page ?? 1, query.page_size ?? DAYS_PER_PAGE);
  }

  async globalSpend(): Promise<{ spend: number; max_budget: null }> {
    const rows: { spend: string | null }[] = await this.dataSource.query(
      'SELECT sum(spend) AS spend FROM spend_logs',
    );

    return { spend: Number(rows[0]?.spend ?? 0), max_budget: null };
  }

  async globalSpendByKey(
    limit: number,
  ): Promise<
    { api_key: string; key_name: string; key_alias: string | null; total_spend: number }[]
  > {
    const rows: { token: string; key_name: string; key_alias: string | null; spend: string }[] =
      await this.dataSource.query(
        `SELECT token, key_name, key_alias, spend FROM keys
          WHERE spend > 0 ORDER BY spend DESC, id DESC LIMIT $1`,
        [limit],
      );

    return rows.map((row) => ({
      api_key: row.token,
      key_name: row.key_name,
      key_alias: row.key_alias,
      total_spend: Number(row.spend),
    }));
  }

  /** Internal roles see only their own spend; naming another user is refused. */
  private userFilter(wanted: string | undefined, caller: Caller): string | undefined {
    if (caller.scope === 'all') {
      return wanted;
    }
    if (wanted !== undefined && wanted !== caller.userId) {
      throw ApiError.forbidden('You can only see your own spend');
    }

    return caller.userId ?? '';
  }
}

/** A date means the whole day in UTC; an instant means itself. */
function startOf(text: string): Date {
  return parseInstant(text, 'start_date');
}

function endOf(text: string): Date {
  const instant = parseInstant(text, 'end_date');

  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(instant.getTime() + DAY_MS) : instant;
}

function parseInstant(text: string, param: string): Date {
  const value = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(value.getTime())) {
    throw ApiError.badRequest(`${param} is not a valid date`, param);
  }

  return value;
}

function emptyMetrics(): SpendMetrics {
  return {
    spend: 0,
    prompt_tokens: 0,
    completion_tokens: 0,
    total_tokens: 0,
    api_requests: 0,
    successful_requests: 0,
    failed_requests: 0,
  };
}

function add(total: SpendMetrics, row: ActivityRow): void {
  total.spend += Number(row.spend);
  total.prompt_tokens += Number(row.prompt_tokens);
  total.completion_tokens += Number(row.completion_tokens);
  total.total_tokens += Number(row.total_tokens);
  total.api_requests += Number(row.requests);
  total.successful_requests += Number(row.successes);
  total.failed_requests += Number(row.failures);
}

/**
 * Days with activity, a page of them at a time; the totals in `metadata` cover the whole
 * range, whichever page is shown.
 */
function toDailyActivity(
  rows: ActivityRow[],
  page: number,
  pageSize: number,
): DailyActivityResponse {
  const days = new Map<string, DailyActivityDay>();
  const totals = emptyMetrics();

  for (const row of rows) {
    let day = days.get(row.day);
    if (!day) {
      day = { date: row.day, metrics: emptyMetrics(), breakdown: { models: {}, api_keys: {} } };
      days.set(row.day, day);
    }

    add(day.metrics, row);
    add(totals, row);
    const model = (day.breakdown.models[row.model] ??= { metrics: emptyMetrics() });
    add(model.metrics, row);
    const key = (day.breakdown.api_keys[row.key_token] ??= {
      metrics: emptyMetrics(),
      metadata: { key_alias: row.key_alias },
    });
    add(key.metrics, row);
  }

  const allDays = [...days.values()];
  const totalPages = Math.max(1, Math.ceil(allDays.length / pageSize));

  return {
    results: allDays.slice((page - 1) * pageSize, page * pageSize),
    metadata: {
      total_spend: totals.spend,
      total_prompt_tokens: totals.prompt_tokens,
      total_completion_tokens: totals.completion_tokens,
      total_tokens: totals.total_tokens,
      total_api_requests: totals.api_requests,
      total_successful_requests: totals.successful_requests,
      total_failed_requests: totals.failed_requests,
      page,
      total_pages: totalPages,
      has_more: page < totalPages,
    },
  };
}

/** `summarize=true`: one entry per day with spend by key, user and model. */
function summarizeByDay(rows: SpendLogEntity[]): object[] {
  const days = new Map<
    string,
    {
      startTime: string;
      spend: number;
      api_keys: Record<string, number>;
      users: Record<string, number>;
      models: Record<string, number>;
    }
  >();

  for (const row of rows) {
    const date = row.startTime.toISOString().slice(0, 10);
    const day = days.get(date) ?? {
      startTime: date,
      spend: 0,
      api_keys: {},
      users: {},
      models: {},
    };
    days.set(date, day);

    day.spend += row.spend;
    day.api_keys[row.apiKey] = (day.api_keys[row.apiKey] ?? 0) + row.spend;
    day.models[row.model] = (day.models[row.model] ?? 0) + row.spend;
    if (row.userId) {
      day.users[row.userId] = (day.users[row.userId] ?? 0) + row.spend;
    }
  }

  return [...days.values()];
}
