import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from './audit/audit.module';
import { AppConfig } from './config/app-config';
import { ConfigModule, configFromEnvironment } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { KeysModule } from './keys/keys.module';
import { KeysService } from './keys/keys.service';
import { SpendModule } from './spend/spend.module';
import { SpendLedger } from './spend/spend-ledger.service';
import { importSpend } from './cli/spend-import';

const USAGE = 'usage: node dist/api/cli.js spend:import <file.jsonl>';

/**
 * Operator commands that run against the database without the HTTP server:
 *   spend:import <file.jsonl>   import spend log rows through the ledger
 * With the embedded database, stop the server first: PGlite has one owner at a time.
 */
async function main(args: string[]): Promise<number> {
  const [command, file] = args;
  if (command !== 'spend:import' || !file) {
    process.stderr.write(`${USAGE}\n`);

    return 2;
  }

  const config = configFromEnvironment();
  const context = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  try {
    const result = await importSpend(file, context.get(KeysService), context.get(SpendLedger));
    process.stdout.write(`${JSON.stringify(result)}\n`);

    return 0;
  } finally {
    await context.close();
  }
}

@Module({})
class CliModule {
  static forRoot(config: AppConfig) {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, AuditModule, KeysModule, SpendModule],
    };
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`spend import failed: ${error.message}\n`);
    process.exit(1);
  },
);
