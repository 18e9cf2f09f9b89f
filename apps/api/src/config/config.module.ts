import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, ConfigError, loadConfig } from './app-config';

/** Provides the one validated `AppConfig`, built before Nest starts so bad config fails fast. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}

/**
 * The configuration of this process: the only place that reads `process.env`. A wrong
 * setting ends the process with a message naming each wrong variable.
 */
export function configFromEnvironment(): AppConfig {
  try {
    return loadConfig(process.env, { configFile: configArgument(process.argv) });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** `--config <file>` or `--config=<file>` on the command line, like the LiteLLM proxy. */
function configArgument(argv: string[]): string | undefined {
  const index = argv.findIndex((arg) => arg === '--config' || arg.startsWith('--config='));
  if (index < 0) {
    return undefined;
  }

  return argv[index].includes('=') ? argv[index].split('=')[1] : argv[index + 1];
}
