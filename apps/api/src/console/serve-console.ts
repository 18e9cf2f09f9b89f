import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import fastifyStatic from '@fastify/static';
import { FastifyInstance, FastifyReply } from 'fastify';
import { ApiError } from '../common/api-error';
import { toErrorResponse } from '../common/error-response';

/**
 * Serves the built Angular console under `/ui`, on the API's own origin, so invitation
 * links (`/ui/onboarding?id=...`) work without any other server. Paths that are not files
 * are the console's own routes and get its index page.
 */
export async function serveConsole(fastify: FastifyInstance, folder: string): Promise<boolean> {
  const root = resolve(folder);
  const indexFile = join(root, 'index.html');
  if (!existsSync(indexFile)) {
    new Logger('Console').warn({ folder: root }, 'console not built; /ui is not served');

    return false;
  }

  const index = readFileSync(indexFile);
  const sendIndex = (_: unknown, reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index);

  await fastify.register(fastifyStatic, {
    root,
    prefix: '/ui/',
    wildcard: false,
    index: false,
    decorateReply: false,
    setHeaders: (response, path) => {
      // Angular names built files by content hash (`main-YB2V6BOL.js`, fonts under media/),
      // so a file never changes under one name.
      if (/-[0-9A-Z]{8}\.(js|css|woff2?|ttf)$/.test(path)) {
        void response.header('cache-control', 'public, max-age=31536000, immutable');
      }
    },
  });
  fastify.get('/ui', sendIndex);
  fastify.get('/ui/', sendIndex);
  fastify.get('/ui/*', (request, reply) => {
    // A missing file (an old chunk after an upgrade) is a 404, not the index page, which
    // the browser would refuse as a script; only paths without an extension are routes.
    const path = request.url.split('?')[0];
    if (/\.[a-z0-9]+$/i.test(path.slice(path.lastIndexOf('/') + 1))) {
      const missing = toErrorResponse(ApiError.notFound(`${path} not found`));

      return reply.code(missing.status).send(missing.body);
    }

    return sendIndex(request, reply);
  });

  return true;
}
