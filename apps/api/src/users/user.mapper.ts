import { User } from '@gatehouse/domain';
import { UserEntity } from './user.entity';

/** A user as the API shows it: never the password hash. */
export function toUser(user: UserEntity): User {
  return {
    user_id: user.userId,
    user_email: user.email,
    user_alias: user.alias,
    user_role: user.role,
    max_budget: user.maxBudget,
    budget_duration: user.budgetDuration,
    budget_reset_at: user.budgetResetAt?.toISOString() ?? null,
    spend: user.spend,
    models: user.models,
    tpm_limit: user.tpmLimit,
    rpm_limit: user.rpmLimit,
    metadata: user.metadata,
    blocked: user.blocked,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}
