import { Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions, MigrationExecutor, QueryRunner } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { EmbeddedDatabase } from './embedded-database';
import { MIGRATIONS } from './migrations';

/** Any number agreed by every instance: the advisory lock that serialises migrations. */
const MIGRATION_LOCK = 7_310_451;

/**
 * When PostgreSQL goes away, a request that needs it fails within seconds with 503 rather
 * than waiting: a new connection must be made within 3 s (a server that is down refuses at
 * once), a statement may run 10 s, and a connection whose server fell silent (a lost
 * network) gives up after 12 s. TCP keep-alive finds dead idle connections. Nothing here
 * needs a restart: the pool makes new connections once the server answers again.
 */
const SERVER_TIMEOUTS = {
  connectionTimeoutMillis: 3_000,
  statement_timeout: 10_000,
  query_timeout: 12_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
};

/** Starts the embedded database when no server is configured, and stops it at shutdown. */
@Injectable()
export class DatabaseServer implements OnApplicationShutdown {
  private embedded: EmbeddedDatabase | null = null;

  constructor(private readonly config: AppConfig) {}

  get isEmbedded(): boolean {
    return this.config.databaseUrl === null;
  }

  async url(): Promise<string> {
    if (this.config.databaseUrl) {
      return this.config.databaseUrl;
    }

    this.embedded ??= await EmbeddedDatabase.start(this.config.dataDir);

    return this.embedded.url;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.stop();
    this.embedded = null;
  }
}

@Module({ providers: [DatabaseServer], exports: [DatabaseServer] })
class DatabaseServerModule {}

/**
 * The PostgreSQL connection. The schema changes only through migrations, which run at
 * start; on a shared server an advisory lock keeps two instances from running them at once.
 */
@Module({
  imports: [
    DatabaseServerModule,
    TypeOrmModule.forRootAsync({
      imports: [DatabaseServerModule],
      inject: [DatabaseServer],
      useFactory: async (server: DatabaseServer) => ({
        type: 'postgres' as const,
        url: await server.url(),
        // PGlite serves a single connection at a time.
        poolSize: server.isEmbedded ? 1 : 10,
        uuidExtension: 'pgcrypto' as const,
        autoLoadEntities: true,
        synchronize: false,
        migrations: MIGRATIONS,
        migrationsRun: false,
        applicationName: 'gatehouse',
        extra: server.isEmbedded ? {} : SERVER_TIMEOUTS,
        poolErrorHandler: (error: Error) =>
          new Logger('Database').warn({ err: error.message }, 'database connection lost'),
      }),
      dataSourceFactory: async (options) => {
        const settings = options as DataSourceOptions & { poolSize?: number };
        if (settings.poolSize === 1) {
          return migrateEmbedded(settings);
        }

        await migrateServer(settings);

        return new DataSource(settings).initialize();
      },
    }),
  ],
  exports: [DatabaseServerModule],
})
export class DatabaseModule {}

/**
 * Runs the pending migrations on a connection of their own, without the request timeouts:
 * building an index on a big table may take minutes. An advisory lock held by that
 * connection keeps two instances sharing the server from migrating at once.
 */
async function migrateServer(options: DataSourceOptions): Promise<void> {
  const own = { ...options, poolSize: 1, extra: {} } as DataSourceOptions;
  const dataSource = await new DataSource(own).initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await runPending(dataSource, runner);
  } finally {
    await runner.release();
    // Closing the connection also releases the lock.
    await dataSource.destroy();
  }
}

/**
 * The embedded database belongs to this process alone and has no timeouts to avoid, so the
 * migrations run on the app's own single connection: PGlite's socket server may still be
 * closing a first connection when a second one arrives, and would refuse it.
 */
async function migrateEmbedded(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runPending(dataSource, runner);
  } finally {
    await runner.release();
  }

  return dataSource;
}

async function runPending(dataSource: DataSource, runner: QueryRunner): Promise<void> {
  const executor = new MigrationExecutor(dataSource, runner);
  executor.transaction = 'each';

  const applied = await executor.executePendingMigrations();
  if (applied.length > 0) {
    new Logger('Migrations').log({ migrations: applied.map((m) => m.name) }, 'database migrated');
  }
}
