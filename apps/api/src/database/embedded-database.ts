import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PostgreSQL compiled to WebAssembly, kept in a data folder and served on a local port so
 * that the app reaches it through the same `pg` driver as a real server. It takes one
 * connection at a time: the pool in front of it must have size 1.
 */
export class EmbeddedDatabase {
  private readonly logger = new Logger('EmbeddedDatabase');

  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedDatabase> {
    const folder = resolve(dataDir);
    mkdirSync(folder, { recursive: true });

    const db = await PGlite.create(folder, { extensions: { pgcrypto } });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
    await server.start();

    const url = `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
    const embedded = new EmbeddedDatabase(db, server, url);
    embedded.logger.log({ dataDir: folder }, 'embedded PostgreSQL (PGlite) started');

    return embedded;
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
