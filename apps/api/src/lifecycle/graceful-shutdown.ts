import { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
/** Idle keep-alive connections are closed this often while requests drain. */
const SWEEP_MS = 100;
/** What the module hooks (spend flush, pools) get on top of the drain before a forced exit. */
const HOOKS_GRACE_MS = 15_000;

/**
 * What SIGTERM (or SIGINT) does, in order:
 *
 * 1. The listening socket closes at once: new connections are refused, so a load
 *    balancer moves on to the other instances.
 * 2. Requests under way, streams included, run to their end, for up to SHUTDOWN_TIMEOUT;
 *    one that arrives on a connection already open is still served, and that connection
 *    is closed after it. At the deadline the connections still open are cut.
 * 3. The modules' shutdown hooks run: the spend writer writes what is queued, then Redis
 *    and the database pool close.
 * 4. The process exits 0 (1 when the hooks failed or hung).
 *
 * Nest's shutdown hooks do 3 and 4; Fastify's close does 1 and 2, except that it waits for
 * connections forever and Node closes only those idle at that moment: this adds the sweep
 * of connections that become idle later, and the deadline.
 */
export function shutDownGracefully(app: NestFastifyApplication, timeoutMs: number): void {
  const logger = new Logger('Shutdown');
  const fastify = app.getHttpAdapter().getInstance();

  fastify.addHook('preClose', (done) => {
    drain(fastify.server, timeoutMs, logger);
    done();
  });

  for (const signal of SIGNALS) {
    process.once(signal, () => {
      logger.log({ signal, timeoutMs }, 'shutting down: refusing new connections');
      // Should a hook hang (a database that never answers), the process still ends.
      setTimeout(() => {
        logger.error({ signal }, 'shutdown did not finish in time; exiting');
        process.exit(1);
      }, timeoutMs + HOOKS_GRACE_MS).unref();
    });
  }

  app.enableShutdownHooks([...SIGNALS], { useProcessExit: true });
}

function drain(server: Server, timeoutMs: number, logger: Logger): void {
  const started = Date.now();
  const sweep = setInterval(() => server.closeIdleConnections(), SWEEP_MS);
  const deadline = setTimeout(() => {
    logger.warn({ timeoutMs }, 'requests still running at the shutdown deadline are cut');
    server.closeAllConnections();
  }, timeoutMs);
  sweep.unref();
  deadline.unref();

  server.once('close', () => {
    clearInterval(sweep);
    clearTimeout(deadline);
    logger.log({ ms: Date.now() - started }, 'requests drained');
  });
}
