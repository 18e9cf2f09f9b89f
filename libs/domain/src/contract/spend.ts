/** One gateway request as recorded in the spend log. */
export interface SpendLog {
  request_id: string;
  api_key: string;
  user: string | null;
  model: string;
  call_type: string;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  spend: number;
  startTime: string;
  endTime: string;
  status: 'success' | 'failure';
}

/** Totals of a day, a model or a key in the daily activity report. */
export interface SpendMetrics {
  spend: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  api_requests: number;
  successful_requests: number;
  failed_requests: number;
}

export interface DailyActivityDay {
  /** `YYYY-MM-DD`, in UTC. */
  date: string;
  metrics: SpendMetrics;
  breakdown: {
    models: Record<string, { metrics: SpendMetrics }>;
    /** Keyed by the key's token (SHA-256 hex), with its alias for display. */
    api_keys: Record<string, { metrics: SpendMetrics; metadata: { key_alias: string | null } }>;
  };
}

/** `GET /user/daily/activity?start_date=YYYY-MM-DD&end_date=YYYY-MM-DD`. */
export interface DailyActivityResponse {
  results: DailyActivityDay[];
  metadata: {
    total_spend: number;
    total_prompt_tokens: number;
    total_completion_tokens: number;
    total_tokens: number;
    total_api_requests: number;
    total_successful_requests: number;
    total_failed_requests: number;
    page: number;
    total_pages: number;
    has_more: boolean;
  };
}
