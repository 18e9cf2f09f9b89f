import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { redactUrl, REDACTED_HEADERS } from './redaction';

/**
 * JSON logs through pino, one request id on every line of a request. Credentials are
 * redacted by path, and URLs lose the values of their secret query parameters.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          genReqId: (request: IncomingMessage) => requestIdOf(request),
          redact: { paths: REDACTED_HEADERS, censor: '[redacted]' },
          serializers: {
            req: (request: { id: string; method: string; url: string }) => ({
              id: request.id,
              method: request.method,
              url: redactUrl(request.url),
            }),
            res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
          },
          customSuccessMessage: () => 'request completed',
          customErrorMessage: () => 'request failed',
          autoLogging: { ignore: (request: IncomingMessage) => isProbe(request.url) },
        },
      }),
    }),
  ],
})
export class LoggingModule {}

/** A caller's own request id is kept when it is a plain token, so logs can be joined. */
function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];

  return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
}

function isProbe(url: string | undefined): boolean {
  return url?.startsWith('/health/') ?? false;
}
