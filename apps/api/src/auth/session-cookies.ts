import { Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { CSRF_COOKIE, SESSION_COOKIE } from '@gatehouse/domain';
import { AppConfig } from '../config/app-config';
import { SessionsService } from './sessions.service';

/**
 * The console's cookies: the session token (HttpOnly, SameSite=Lax, Secure behind https)
 * and the readable CSRF token that the console echoes in a header on changes.
 */
@Injectable()
export class SessionCookies {
  constructor(
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
  ) {}

  set(reply: FastifyReply, sessionToken: string): void {
    const secure = this.config.baseUrl.startsWith('https://');
    const maxAge = Math.floor(this.config.sessionAbsoluteMs / 1000);

    reply.setCookie(SESSION_COOKIE, sessionToken, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge,
    });
    reply.setCookie(CSRF_COOKIE, this.sessions.csrfTokenFor(sessionToken), {
      path: '/',
      httpOnly: false,
      sameSite: 'lax',
      secure,
      maxAge,
    });
  }

  clear(reply: FastifyReply): void {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
  }
}
