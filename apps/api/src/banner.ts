import { isAbsolute } from 'node:path';
import { AppConfig } from './config/app-config';

/**
 * What an operator needs after `npm start`: where things are and how to sign in. Written
 * to the terminal once, not to the log: it may hold a password generated for this start.
 */
export function printBanner(
  config: AppConfig,
  createdAdmin: { email: string; generatedPassword: string | null } | null,
  consoleServed: boolean,
): void {
  const lines = [
    '',
    `Gatehouse is ready on ${config.baseUrl}`,
    consoleServed
      ? `  Console:     ${config.baseUrl}/ui`
      : '  Console:     not built (run npm run build)',
    `  API docs:    ${config.baseUrl}/docs`,
    `  Database:    ${databaseOf(config)}`,
    `  Admin login: ${config.adminEmail}`,
  ];

  if (createdAdmin?.generatedPassword) {
    lines.push(`  Password:    ${createdAdmin.generatedPassword}   (generated now, shown once)`);
  } else if (createdAdmin) {
    lines.push('  Password:    the value of UI_PASSWORD');
  } else {
    lines.push('  Password:    as set before (UI_PASSWORD, or the one printed at first start)');
  }

  if (config.masterKeyGenerated) {
    lines.push(
      `  Master key:  ${config.masterKey}   (generated for this run; set PROXY_MASTER_KEY)`,
    );
  } else {
    lines.push('  Master key:  the value of PROXY_MASTER_KEY');
  }

  process.stdout.write(`${lines.join('\n')}\n\n`);
}

function databaseOf(config: AppConfig): string {
  if (config.databaseUrl) {
    return 'PostgreSQL (DATABASE_URL)';
  }

  const folder = isAbsolute(config.dataDir) ? config.dataDir : `./${config.dataDir}`;

  return `embedded PGlite in ${folder}`;
}
