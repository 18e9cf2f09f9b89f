import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { toErrorResponse } from './error-response';

/** The one place where failures become HTTP answers in the contract's error shape. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const response = toErrorResponse(exception);

    if (response.databaseUnreachable) {
      this.logger.warn({ reason: describe(exception).message }, 'database unreachable: 503');
    }
    if (response.errorId) {
      this.logger.error(
        { errorId: response.errorId, err: describe(exception) },
        'unexpected failure',
      );
    }

    void reply.status(response.status).headers(response.headers).send(response.body);
  }
}

/**
 * What an unexpected failure logs: its kind, message and stack, not the object itself,
 * whose fields (a database error's query parameters, say) may hold secrets.
 */
function describe(exception: unknown): { type: string; message: string; stack?: string } {
  if (exception instanceof Error) {
    return { type: exception.name, message: exception.message, stack: exception.stack };
  }

  return { type: typeof exception, message: 'not an Error' };
}
