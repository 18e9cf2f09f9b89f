import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiError } from '../common/api-error';

/** passport-local behind a check that says which field is missing, instead of a bare 401. */
@Injectable()
export class LoginGuard extends AuthGuard('local') {
  override canActivate(context: ExecutionContext) {
    const body = context.switchToHttp().getRequest<{ body?: unknown }>().body;
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      unknown
    >;

    for (const field of ['username', 'password']) {
      const value = fields[field];
      if (typeof value !== 'string' || value.length === 0 || value.length > 1024) {
        throw ApiError.badRequest(`${field} is required and must be a string`, field);
      }
    }

    return super.canActivate(context);
  }

  override handleRequest<T>(error: unknown, user: T): T {
    if (error) {
      throw error;
    }
    if (!user) {
      throw ApiError.unauthenticated('Invalid email or password');
    }

    return user;
  }
}
