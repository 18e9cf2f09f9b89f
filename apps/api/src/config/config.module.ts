import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './app-config';

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

/** The configuration of this process: the only place that reads `process.env`. */
export function configFromEnvironment(): AppConfig {
  return loadConfig(process.env);
}
