import { Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { EmbeddedDatabase } from './embedded-database';
import { MIGRATIONS } from './migrations';

/** Any number agreed by every instance: the advisory lock that serialises migrations. */
const MIGRATION_LOCK = 7_310_451;

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
      }),
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options as DataSourceOptions).initialize();
        await migrate(dataSource, options?.poolSize === 1);

        return dataSource;
      },
    }),
  ],
  exports: [DatabaseServerModule],
})
export class DatabaseModule {}

async function migrate(dataSource: DataSource, embedded: boolean): Promise<void> {
  const logger = new Logger('Migrations');

  // The embedded database belongs to this process alone, and its single connection
  // could not hold the lock while the migrations run on it.
  if (embedded) {
    await runPending(dataSource, logger);

    return;
  }

  const lock = dataSource.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await runPending(dataSource, logger);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    await lock.release();
  }
}

async function runPending(dataSource: DataSource, logger: Logger): Promise<void> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  if (applied.length > 0) {
    logger.log({ migrations: applied.map((m) => m.name) }, 'database migrated');
  }
}
