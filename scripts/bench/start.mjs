// Start-up on the embedded database, as `npm start` runs it: the time from spawning the
// process to a ready answer from /health/readiness, on an empty data folder (first start,
// migrations included) and again on the same folder, and the process's memory once idle.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi } from './harness.mjs';

const IDLE_MS = 5_000;
const RESTARTS = 3;

export async function benchStart() {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-start-'));
  const env = { DATABASE_URL: '', GATEHOUSE_DATA_DIR: dataDir, UI_PASSWORD: 'bench start pw 0001' };

  try {
    const first = await timedStart(env);
    const restarts = [];
    for (let i = 0; i < RESTARTS; i++) {
      restarts.push(await timedStart(env));
    }

    return {
      database: 'embedded PGlite',
      first_start_ms: first.readyMs,
      first_start_idle_rss_mib: first.idleRssMib,
      restart_ms: restarts.map((run) => run.readyMs),
      restart_idle_rss_mib: restarts.map((run) => run.idleRssMib),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function timedStart(env) {
  const started = process.hrtime.bigint();
  const api = await startApi(env);
  const readyMs = Number(process.hrtime.bigint() - started) / 1e6;

  // Idle: nobody calls it for a while, then read what the kernel says it holds.
  await new Promise((done) => setTimeout(done, IDLE_MS));
  const idleRssMib = rssMib(api.pid);
  await api.stop();

  return { readyMs: Math.round(readyMs), idleRssMib };
}

/** Resident memory of a process in MiB, from /proc (Linux, as on these machines). */
function rssMib(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);

  return Math.round(kib / 1024);
}
