import 'reflect-metadata';
import fastifyCookie from '@fastify/cookie';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configFromEnvironment } from './config/config.module';
import { serveConsole } from './console/serve-console';
import { ErrorFilter } from './common/error.filter';
import { createValidationPipe } from './common/validation';
import { shutDownGracefully } from './lifecycle/graceful-shutdown';
import { setupOpenApi } from './openapi';
import { answerClientError } from './security/client-errors';
import { hardenHttp } from './security/http-hardening';
import { printBanner } from './banner';
import { FirstAdmin } from './users/first-admin';

/** Fastify's default, stated: bodies over 1 MB are refused with 413. */
const BODY_LIMIT = 1024 * 1024;

async function bootstrap(): Promise<void> {
  const config = configFromEnvironment();
  // While shutting down, a request on a connection already open is served (and the
  // connection closed after it) rather than answered 503 outside the error shape.
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    return503OnClosing: false,
    clientErrorHandler: answerClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));

  const fastify = app.getHttpAdapter().getInstance();
  await app.register(fastifyCookie);
  await hardenHttp(app, config);

  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter());
  shutDownGracefully(app, config.shutdownTimeoutMs);
  setupOpenApi(app);
  const consoleServed = await serveConsole(fastify, config.consoleDir);

  await app.listen(config.port, config.host);
  printBanner(config, app.get(FirstAdmin).created, consoleServed);
}

void bootstrap();
