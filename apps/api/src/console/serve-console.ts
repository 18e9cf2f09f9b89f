import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import fastifyStatic from '@fastify/static';
import { FastifyInstance, FastifyReply } from 'fastify';

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
      // Angular names built files by content hash, so they never change under one name.
      if (/\.[0-9a-z]{8,}\.(js|css|woff2?|ttf)$/i.test(path)) {
        void response.header('cache-control', 'public, max-age=31536000, immutable');
      }
    },
  });
  fastify.get('/ui', sendIndex);
  fastify.get('/ui/', sendIndex);
  fastify.get('/ui/*', sendIndex);

  return true;
}
