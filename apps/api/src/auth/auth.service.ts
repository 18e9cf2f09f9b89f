import { Injectable, Logger } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { SessionInfo } from '@gatehouse/domain';
import { AuditService } from '../audit/audit.service';
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
    private readonly audit: AuditService,
  ) {}

  openSession(userId: string, request: FastifyRequest): Promise<string> {
    return this.sessions.open(userId, clientOf(request));
  }

  async closeSession(token: string): Promise<void> {
    await this.sessions.end(token);
    this.logger.log('session ended by logout');
  }

  async listSessions(caller: Caller): Promise<SessionInfo[]> {
    if (!caller.userId) {
      return [];
    }

    const sessions = await this.sessions.listOf(caller.userId);

    return sessions.map((session) => ({
      session_id: session.id,
      created_at: session.createdAt.toISOString(),
      last_seen_at: session.lastSeenAt.toISOString(),
      expires_at: session.expiresAt.toISOString(),
      user_agent: session.userAgent,
      ip: session.ip,
      current: session.id === caller.sessionId,
    }));
  }

  async endOwnSession(caller: Caller, sessionId: string): Promise<{ sessions_ended: number }> {
    if (!caller.userId || !(await this.sessions.endOne(caller.userId, sessionId))) {
      throw ApiError.notFound('You have no session with this id', 'session_id');
    }
    await this.audit.record(caller, {
      action: 'sessions.ended',
      targetType: 'session',
      targetId: sessionId,
      after: { sessions_ended: 1, reason: 'ended by its user' },
    });

    return { sessions_ended: 1 };
  }

  async endOtherSessions(caller: Caller): Promise<{ sessions_ended: number }> {
    if (!caller.userId) {
      return { sessions_ended: 0 };
    }

    const userId = caller.userId;
    const ended = await this.sessions.endAllOf(userId, caller.sessionId);
    await this.audit.record(caller, {
      action: 'sessions.ended',
      targetType: 'session',
      targetId: userId,
      after: { sessions_ended: ended, reason: 'other sessions ended by their user' },
    });

    return { sessions_ended: ended };
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
    await this.audit.record(caller, {
      action: 'password.changed',
      targetType: 'user',
      targetId: caller.userId,
      after: { sessions_ended: ended },
    });
    this.logger.log({ userId: caller.userId, sessionsEnded: ended }, 'password changed');

    return { message: 'Password changed', sessions_ended: ended };
  }
}

export function clientOf(request: FastifyRequest): SessionClient {
  const agent = request.headers['user-agent'];

  return { userAgent: typeof agent === 'string' ? agent : null, ip: request.ip ?? null };
}
