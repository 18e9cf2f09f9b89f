import { DailyActivityDay, SpendMetrics } from '@gatehouse/domain';

import { daysBetween } from '../shared/dates';

/** One day's totals, for the chart. Days without activity count as zero. */
export interface DayPoint {
  date: string;
  spend: number;
  tokens: number;
  requests: number;
}

/** Totals of one key or model over the whole range. */
export interface BreakdownRow {
  id: string;
  label: string;
  spend: number;
  tokens: number;
  requests: number;
  failed: number;
}

export type Metric = 'spend' | 'tokens' | 'requests';

/** Every day of the range in order, filling days the API left out with zeros. */
export function dayPoints(results: DailyActivityDay[], start: string, end: string): DayPoint[] {
  const byDate = new Map(results.map((day) => [day.date, day.metrics]));

  return daysBetween(start, end).map((date) => {
    const metrics = byDate.get(date);

    return {
      date,
      spend: metrics?.spend ?? 0,
      tokens: metrics?.total_tokens ?? 0,
      requests: metrics?.api_requests ?? 0,
    };
  });
}

/** Sums each key over the days, most spend first; keys are named by alias when they have one. */
export function keyBreakdown(results: DailyActivityDay[]): BreakdownRow[] {
  const rows = new Map<string, BreakdownRow>();
  for (const day of results) {
    for (const [token, entry] of Object.entries(day.breakdown.api_keys)) {
      const label = entry.metadata.key_alias ?? `Key …${token.slice(-8)}`;
      add(rows, token, label, entry.metrics);
    }
  }

  return sorted(rows);
}

/** Sums each model over the days, most spend first. */
export function modelBreakdown(results: DailyActivityDay[]): BreakdownRow[] {
  const rows = new Map<string, BreakdownRow>();
  for (const day of results) {
    for (const [model, entry] of Object.entries(day.breakdown.models)) {
      add(rows, model, model, entry.metrics);
    }
  }

  return sorted(rows);
}

/** The value of `metric` on a day. */
export function metricOf(point: DayPoint, metric: Metric): number {
  return point[metric];
}

function add(rows: Map<string, BreakdownRow>, id: string, label: string, m: SpendMetrics): void {
  const row = rows.get(id) ?? { id, label, spend: 0, tokens: 0, requests: 0, failed: 0 };
  row.spend += m.spend;
  row.tokens += m.total_tokens;
  row.requests += m.api_requests;
  row.failed += m.failed_requests;
  rows.set(id, row);
}

function sorted(rows: Map<string, BreakdownRow>): BreakdownRow[] {
  return [...rows.values()].sort((a, b) => b.spend - a.spend || b.requests - a.requests);
}
