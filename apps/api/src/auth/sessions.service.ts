import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Role } from '@gatehouse/domain';
import { AppConfig } from '../config/app-config';
import { randomToken, sha256Hex } from '../common/secrets';
import { SessionEntity } from './session.entity';

export interface SessionClient {
  userAgent: string | null;
  ip: string | null;
}

export interface ActiveSession {
  id: string;
  userId: string;
  role: Role;
}

/** Writing `last_seen_at` on every request would cost a write per call; once a minute will do. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Console sessions: opaque random tokens that only the browser (or script) holds; the
 * database keeps their SHA-256. A session ends on logout, after the idle timeout, or at
 * its absolute expiry, whichever comes first.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    private readonly config: AppConfig,
  ) {}

  /** Opens a session and returns its token, the only time the token exists in clear. */
  async open(userId: string, client: SessionClient, manager?: EntityManager): Promise<string> {
    const token = randomToken();
    const repository = manager?.getRepository(SessionEntity) ?? this.sessions;

    await repository.insert({
      tokenHash: sha256Hex(token),
      userId,
      expiresAt: new Date(Date.now() + this.config.sessionAbsoluteMs),
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      ip: client.ip,
    });

    return token;
  }

  /** The live session behind a token with its user's current role, or null. */
  async resolve(token: string): Promise<ActiveSession | null> {
    const idleSince = new Date(Date.now() - this.config.sessionIdleMs);
    const rows: { id: string; user_id: string; user_role: Role; last_seen_at: Date }[] =
      await this.sessions.query(
        `SELECT s.id, s.user_id, u.user_role, s.last_seen_at
           FROM sessions s JOIN users u ON u.user_id = s.user_id
          WHERE s.token_hash = $1 AND s.expires_at > now() AND s.last_seen_at > $2
            AND NOT u.blocked`,
        [sha256Hex(token), idleSince],
      );

    const row = rows[0];
    if (!row) {
      return null;
    }

    if (Date.now() - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
      await this.sessions.update({ id: row.id }, { lastSeenAt: new Date() });
    }

    return { id: row.id, userId: row.user_id, role: row.user_role };
  }

  /** The live sessions of a user, newest first. */
  async listOf(userId: string): Promise<SessionEntity[]> {
    return this.sessions
      .createQueryBuilder('s')
      .where('s.user_id = :userId', { userId })
      .andWhere('s.expires_at > now()')
      .andWhere('s.last_seen_at > :idleSince', {
        idleSince: new Date(Date.now() - this.config.sessionIdleMs),
      })
      .orderBy('s.created_at', 'DESC')
      .getMany();
  }

  /** Ends one session of a user; false when the user has no such session. */
  async endOne(userId: string, sessionId: string): Promise<boolean> {
    const result = await this.sessions.delete({ id: sessionId, userId });

    return (result.affected ?? 0) > 0;
  }

  async end(token: string): Promise<void> {
    await this.sessions.delete({ tokenHash: sha256Hex(token) });
  }

  /** Ends every session of a user, but the one given (the caller's own, when it stays). */
  async endAllOf(userId: string, exceptSessionId?: string): Promise<number> {
    const query = this.sessions
      .createQueryBuilder()
      .delete()
      .where('user_id = :userId', { userId });
    if (exceptSessionId) {
      query.andWhere('id <> :exceptSessionId', { exceptSessionId });
    }

    const result = await query.execute();

    return result.affected ?? 0;
  }

  /**
   * The CSRF token that belongs to a session token. Derived rather than stored: a page
   * on another site can neither read the cookie nor compute this value.
   */
  csrfTokenFor(sessionToken: string): string {
    return createHmac('sha256', sessionToken).update('gatehouse csrf').digest('base64url');
  }
}
