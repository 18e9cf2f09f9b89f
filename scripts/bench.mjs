// `npm run bench`: the benchmarks of Gatehouse, against the PostgreSQL in DATABASE_URL
// (default: the local server), and the embedded database's start-up. Prints a JSON report;
// `npm run bench -- keys` runs one part.
import { benchGateway } from './bench/gateway.mjs';
import { benchKeys } from './bench/keys.mjs';
import { benchStart } from './bench/start.mjs';

const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const wanted = process.argv.slice(2);
const parts = {
  start: () => benchStart(),
  keys: () => benchKeys(serverUrl),
  gateway: () => benchGateway(serverUrl),
};

const report = {
  machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
};
for (const [name, run] of Object.entries(parts)) {
  if (wanted.length === 0 || wanted.includes(name)) {
    report[name] = await run();
  }
}

process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
