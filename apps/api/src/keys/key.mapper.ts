import { GeneratedKey, KeyInfo } from '@gatehouse/domain';
import { KeyEntity } from './key.entity';

/** A key as the API shows it: never its secret, never the previous secret's digest. */
export function toKeyInfo(key: KeyEntity): KeyInfo {
  return {
    token: key.token,
    key_name: key.keyName,
    key_alias: key.alias,
    user_id: key.userId,
    models: key.models,
    spend: key.spend,
    max_budget: key.maxBudget,
    budget_duration: key.budgetDuration,
    budget_reset_at: key.budgetResetAt?.toISOString() ?? null,
    tpm_limit: key.tpmLimit,
    rpm_limit: key.rpmLimit,
    max_parallel_requests: key.maxParallelRequests,
    metadata: key.metadata,
    blocked: key.blocked,
    expires: key.expires?.toISOString() ?? null,
    created_at: key.createdAt.toISOString(),
    updated_at: key.updatedAt.toISOString(),
    created_by: key.createdBy,
    updated_by: key.updatedBy,
  };
}

/** The answer to creating or regenerating a key, the one time its secret is shown. */
export function toGeneratedKey(
  key: KeyEntity,
  secret: string,
  duration: string | null | undefined,
): GeneratedKey {
  return { ...toKeyInfo(key), key: secret, token_id: key.token, duration: duration ?? null };
}
