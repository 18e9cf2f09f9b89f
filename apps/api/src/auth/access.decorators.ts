import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Action } from '@gatehouse/domain';
import { ApiError } from '../common/api-error';
import { Caller } from './principal';

export const ACTION_KEY = 'gatehouse:action';
export const PUBLIC_KEY = 'gatehouse:public';
export const GATEWAY_KEY = 'gatehouse:gateway';
export const CALLING_KEY = 'gatehouse:calling-key';

/** The permission a handler needs, from the matrix in `@gatehouse/domain`. */
export const Allow = (action: Action) => SetMetadata(ACTION_KEY, action);

/**
 * Also lets a virtual key that belongs to no user (one the master key made without a
 * `user_id`) call the handler about itself: it has no role, so the matrix alone refuses
 * it. The service must still confine such a caller to its own key.
 */
export const AlsoCallingKey = () => SetMetadata(CALLING_KEY, true);

/** Reachable without credentials: login, onboarding, health. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/**
 * An OpenAI-compatible route: any virtual key may call models (its owner's role does not
 * matter there), and the gateway checks the key, its models, limits and budget itself.
 */
export const GatewayRoute = () => SetMetadata(GATEWAY_KEY, true);

/** The caller the access guard resolved, with the scope of the handler's action. */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const caller = context.switchToHttp().getRequest<{ caller?: Caller }>().caller;
  if (!caller) {
    throw ApiError.unauthenticated();
  }

  return caller;
});
