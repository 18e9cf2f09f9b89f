import { DailyActivityDay, SpendMetrics } from '@gatehouse/domain';

/** Metrics where every request has 10 prompt and 5 completion tokens. */
export function metrics(spend: number, requests: number, failed = 0): SpendMetrics {
  return {
    spend,
    prompt_tokens: requests * 10,
    completion_tokens: requests * 5,
    total_tokens: requests * 15,
    api_requests: requests,
    successful_requests: requests - failed,
    failed_requests: failed,
  };
}

export function day(date: string, keys: Record<string, [string | null, number, number]>) {
  const entries = Object.entries(keys);
  const spend = entries.reduce((sum, [, [, s]]) => sum + s, 0);
  const requests = entries.reduce((sum, [, [, , r]]) => sum + r, 0);

  return {
    date,
    metrics: metrics(spend, requests),
    breakdown: {
      models: { 'gpt-4o': { metrics: metrics(spend, requests) } },
      api_keys: Object.fromEntries(
        entries.map(([token, [alias, s, r]]) => [
          token,
          { metrics: metrics(s, r, 1), metadata: { key_alias: alias } },
        ]),
      ),
    },
  } satisfies DailyActivityDay;
}
