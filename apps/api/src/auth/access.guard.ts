import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Action, CSRF_HEADER, scopeOf } from '@gatehouse/domain';
import { ApiError } from '../common/api-error';
import { secretsEqual } from '../common/secrets';
import { ACTION_KEY, CALLING_KEY, GATEWAY_KEY, PUBLIC_KEY } from './access.decorators';
import { credentialOf } from './credentials';
import { Principal } from './principal';
import { PrincipalResolver, RequestWithCaller } from './principal.resolver';
import { SessionsService } from './sessions.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type Targets = ReturnType<ExecutionContext['getHandler']>[];

/**
 * The one gate of the API, deny by default: a handler is reachable only when it is marked
 * `@Public()`, is a gateway route (which checks its key itself), or names an action of the
 * permission matrix that the caller's role allows.
 * "Own only" is the services' job, through the scope left on the caller.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly resolver: PrincipalResolver,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      return true;
    }
    if (this.reflector.getAllAndOverride<boolean>(GATEWAY_KEY, targets)) {
      return true;
    }

    const action = this.reflector.getAllAndOverride<Action | undefined>(ACTION_KEY, targets);
    if (!action) {
      throw ApiError.forbidden('This route declares no permission and is closed');
    }

    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    const credential = credentialOf(request);
    if (!credential) {
      throw ApiError.unauthenticated(
        'No credentials: send Authorization: Bearer <key> or sign in to the console',
      );
    }

    const principal = await this.resolver.resolve(credential);

    if (credential.fromCookie && !SAFE_METHODS.has(request.method)) {
      this.checkCsrf(request, credential.secret);
    }

    const scope = scopeOf(principal.role, action) ?? this.callingKeyScope(principal, targets);
    if (!scope) {
      throw ApiError.forbidden(`Your role (${principal.role ?? 'none'}) may not do this`);
    }

    request.caller = { ...principal, scope };

    return true;
  }

  /** An ownerless key reaches a handler marked `@AlsoCallingKey()` for itself only. */
  private callingKeyScope(principal: Principal, targets: Targets): 'own' | null {
    const marked = this.reflector.getAllAndOverride<boolean>(CALLING_KEY, targets);
    const ownerless = principal.kind === 'virtual_key' && principal.role === null;

    return marked && ownerless ? 'own' : null;
  }

  private checkCsrf(request: RequestWithCaller, sessionToken: string): void {
    const sent = request.headers[CSRF_HEADER];
    const expected = this.sessions.csrfTokenFor(sessionToken);

    if (typeof sent !== 'string' || !secretsEqual(sent, expected)) {
      throw new ApiError('csrf_failed', `Missing or wrong ${CSRF_HEADER} header`);
    }
  }
}
