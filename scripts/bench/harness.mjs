// Shared pieces of the benchmarks: starting the built API, timing requests with
// microsecond resolution, and summarising latencies.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = new URL('../..', import.meta.url).pathname;

export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Starts `dist/api/main.js` with the given environment and waits for readiness. */
export async function startApi(env) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'dist/api/main.js')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the API exited with ${child.exitCode}`);
    }
    try {
      if ((await fetch(`${baseUrl}/health/readiness`)).ok) {
        return { baseUrl, pid: child.pid, stop: () => stop(child) };
      }
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }

  child.kill('SIGKILL');
  throw new Error('the API did not become ready');
}

function stop(child) {
  return new Promise((done) => {
    child.once('exit', done);
    child.kill('SIGTERM');
  });
}

/** Times `count` sequential calls of `request` after `warmup` untimed ones; milliseconds. */
export async function timeSequential(request, { count = 200, warmup = 20 } = {}) {
  for (let i = 0; i < warmup; i++) {
    await request(i);
  }

  const samples = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await request(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }

  return samples;
}

export function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);

  return sorted[Math.max(0, index)];
}

export function summary(samples) {
  return {
    n: samples.length,
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    p99: round(percentile(samples, 99)),
    max: round(Math.max(...samples)),
  };
}

export function round(value, digits = 3) {
  const factor = 10 ** digits;

  return Math.round(value * factor) / factor;
}
