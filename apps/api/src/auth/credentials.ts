import { FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '@gatehouse/domain';

export interface Credential {
  secret: string;
  /** Cookies ride along with every browser request, so only they need a CSRF check. */
  fromCookie: boolean;
}

/**
 * The credential a request carries: a bearer token, a key in `x-api-key` or `API-Key`, or
 * the console's session cookie, in that order.
 */
export function credentialOf(request: FastifyRequest): Credential | null {
  const authorization = header(request, 'authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);

    return match ? { secret: match[1], fromCookie: false } : null;
  }

  const apiKey = header(request, 'x-api-key') ?? header(request, 'api-key');
  if (apiKey) {
    return { secret: apiKey.trim(), fromCookie: false };
  }

  const cookie = request.cookies?.[SESSION_COOKIE];
  if (cookie) {
    return { secret: cookie, fromCookie: true };
  }

  return null;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];

  return Array.isArray(value) ? value[0] : value;
}
