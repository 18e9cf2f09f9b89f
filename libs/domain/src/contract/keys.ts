/** A key as listed and shown after creation: everything but the secret. */
export interface KeyInfo {
  token: string;
  key_name: string;
  key_alias: string | null;
  user_id: string | null;
  models: string[];
  spend: number;
  max_budget: number | null;
  budget_duration: string | null;
  budget_reset_at: string | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
  max_parallel_requests: number | null;
  metadata: Record<string, unknown>;
  blocked: boolean;
  expires: string | null;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  updated_by: string | null;
}

export interface GenerateKeyRequest {
  key_alias?: string | null;
  duration?: string | null;
  models?: string[];
  max_budget?: number | null;
  budget_duration?: string | null;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  max_parallel_requests?: number | null;
  metadata?: Record<string, unknown>;
  user_id?: string;
  key?: string;
  blocked?: boolean;
  send_invite_email?: boolean;
}

/** The answer to creating or regenerating a key: the only time `key` is shown. */
export interface GeneratedKey extends KeyInfo {
  key: string;
  token_id: string;
  /** The `duration` the request gave, echoed as LiteLLM does; `expires` is what it means. */
  duration: string | null;
  /**
   * Only with `send_invite_email`: `pending` (the owner is being emailed, without the secret),
   * `disabled` (SMTP is not configured) or `no_email` (the owner has no address).
   */
  email_status?: 'pending' | 'disabled' | 'no_email';
}

export interface KeyInfoResponse {
  key: string;
  info: KeyInfo;
}

export interface KeyListResponse {
  keys: (string | KeyInfo)[];
  total_count: number;
  current_page: number;
  total_pages: number;
  /** Pass as `after` for the next page (keyset pagination); null on the last page. */
  next_cursor: string | null;
}

export interface DeleteKeysResponse {
  deleted_keys: string[];
}

export const KEY_SORT_FIELDS = [
  'spend',
  'max_budget',
  'created_at',
  'updated_at',
  'key_alias',
] as const;

export type KeySortField = (typeof KEY_SORT_FIELDS)[number];
