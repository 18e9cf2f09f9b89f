import { Role } from '../roles';
import { KeyInfo } from './keys';

/** A user as every endpoint returns it: never with a password. */
export interface User {
  user_id: string;
  user_email: string | null;
  user_alias: string | null;
  user_role: Role;
  max_budget: number | null;
  budget_duration: string | null;
  budget_reset_at: string | null;
  spend: number;
  models: string[];
  tpm_limit: number | null;
  rpm_limit: number | null;
  metadata: Record<string, unknown>;
  /** Beyond LiteLLM: a blocked user cannot sign in and their keys are refused. */
  blocked: boolean;
  created_at: string;
  updated_at: string;
}

export interface NewUserRequest {
  user_id?: string;
  user_email?: string;
  user_alias?: string;
  user_role?: Role;
  max_budget?: number | null;
  budget_duration?: string | null;
  models?: string[];
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  metadata?: Record<string, unknown>;
  auto_create_key?: boolean;
  key_alias?: string;
  duration?: string | null;
  send_invite_email?: boolean;
}

export interface NewUserResponse extends User {
  /** The auto-created key's secret, shown once; `""` when no key was created. */
  key: string;
  key_name?: string;
  expires?: string | null;
  token?: string;
}

export interface UserInfoResponse {
  user_id: string;
  user_info: User;
  keys: KeyInfo[];
  teams: never[];
}

export interface UserListResponse {
  users: (User & { key_count: number })[];
  total: number;
  page: number;
  page_size: number;
  total_pages: number;
}

export interface UpdateUserRequest extends NewUserRequest {
  user_id?: string;
  user_email?: string;
  password?: string;
}

export interface UpdateUserResponse {
  user_id: string;
  data: User;
}

export interface DeleteUsersResponse {
  deleted_users: number;
}

export const USER_SORT_FIELDS = [
  'user_id',
  'user_email',
  'created_at',
  'spend',
  'user_alias',
  'user_role',
] as const;

export type UserSortField = (typeof USER_SORT_FIELDS)[number];
