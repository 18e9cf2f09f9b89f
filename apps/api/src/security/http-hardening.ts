import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CSRF_HEADER } from '@gatehouse/domain';
import { AppConfig } from '../config/app-config';

/**
 * Security headers on every answer, closed CORS unless origins are configured, and
 * `Cache-Control: no-store` on everything but the console's static files: API answers
 * carry keys, tokens and personal data that no cache should keep.
 */
export async function hardenHttp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const headers = securityHeaders(config.baseUrl.startsWith('https://'));
  const fastify = app.getHttpAdapter().getInstance();

  // The same headers helmet would set, computed once: the gateway's hot path should not
  // rebuild a Content-Security-Policy on every request.
  fastify.addHook('onRequest', async (_request, reply) => {
    void reply.headers(headers);
  });

  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      credentials: true,
      methods: ['GET', 'POST'],
      allowedHeaders: ['authorization', 'content-type', 'x-api-key', 'api-key', CSRF_HEADER],
      maxAge: 600,
    });
  }

  fastify.addHook('onSend', async (request, reply, payload) => {
    if (!isConsoleFile(request.url) && !reply.hasHeader('cache-control')) {
      void reply.header('cache-control', 'no-store');
    }

    return payload;
  });
}

/** The console's files cache by their own rules (hashed names are immutable). */
function isConsoleFile(url: string): boolean {
  return url.startsWith('/ui/') && /\.[a-z0-9]+(\?|$)/i.test(url);
}

function securityHeaders(https: boolean): Record<string, string> {
  const policy = [
    "default-src 'self'",
    "script-src 'self'",
    "script-src-attr 'none'",
    // Angular Material sets styles at run time; no script can be injected through them.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');

  return {
    'content-security-policy': policy,
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'DENY',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
    ...(https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}
