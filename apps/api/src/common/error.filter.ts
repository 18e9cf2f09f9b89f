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

    if (response.errorId) {
      this.logger.error({ errorId: response.errorId, err: exception }, 'unexpected failure');
    }

    void reply.status(response.status).headers(response.headers).send(response.body);
  }
}
