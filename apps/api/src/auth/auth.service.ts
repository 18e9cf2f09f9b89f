import { Injectable, Logger } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { ApiError } from '../common/api-error';
import { UsersService } from '../users/users.service';
import { PasswordHasher } from './password-hasher';
import { Caller } from './principal';
import { SessionClient, SessionsService } from './sessions.service';

/** Signing in and out, and the signed-in user's own password. */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
  ) {}

  openSession(userId: string, request: FastifyRequest): Promise<string> {
    return this.sessions.open(userId, clientOf(request));
  }

  async closeSession(token: string): Promise<void> {
    await this.sessions.end(token);
    this.logger.log('session ended by logout');
  }

  async changePassword(
    caller: Caller,
    currentPassword: string,
    newPassword: string,
  ): Promise<{ message: string; sessions_ended: number }> {
    if (!caller.userId) {
      throw ApiError.badRequest('The master key has no password to change');
    }

    const user = await this.users.findOrFail(caller.userId);
    const currentHash = await this.users.findPasswordHash(caller.userId);
    if (!(await this.hasher.verify(currentHash, currentPassword))) {
      throw ApiError.badRequest('Current password is wrong', 'current_password');
    }

    const passwordHash = await this.users.hashChecked(newPassword, user.email, 'new_password');
    await this.users.setPasswordHash(caller.userId, passwordHash);
    const ended = await this.sessions.endAllOf(caller.userId, caller.sessionId);
    this.logger.log({ userId: caller.userId, sessionsEnded: ended }, 'password changed');

    return { message: 'Password changed', sessions_ended: ended };
  }
}

export function clientOf(request: FastifyRequest): SessionClient {
  const agent = request.headers['user-agent'];

  return { userAgent: typeof agent === 'string' ? agent : null, ip: request.ip ?? null };
}
