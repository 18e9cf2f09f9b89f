// Load generation with microsecond resolution: an open loop at a fixed request rate (each
// request is timed with process.hrtime.bigint from when it was due), and a closed loop
// that finds the saturation throughput.
import { Pool } from 'undici';

export async function fixedRate(url, { rate, seconds, headers, body }) {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: 128 });
  const total = rate * seconds;
  const interval = 1e9 / rate;
  const latencies = [];
  const overheads = [];
  let errors = 0;
  const start = process.hrtime.bigint();
  const inFlight = [];

  for (let i = 0; i < total; i++) {
    const due = start + BigInt(Math.round(i * interval));
    let now = process.hrtime.bigint();
    while (now < due) {
      const waitMs = Number(due - now) / 1e6;
      if (waitMs > 1) {
        await new Promise((done) => setTimeout(done, waitMs - 0.5));
      } else {
        await new Promise((done) => setImmediate(done));
      }
      now = process.hrtime.bigint();
    }

    inFlight.push(
      send(pool, target, headers, body).then(
        (result) => {
          latencies.push(Number(process.hrtime.bigint() - due) / 1e6);
          if (result.overhead !== null) {
            overheads.push(result.overhead);
          }
          if (result.status !== 200) {
            errors += 1;
          }
        },
        () => {
          errors += 1;
        },
      ),
    );
  }

  await Promise.all(inFlight);
  await pool.close();

  return { latencies, overheads, errors };
}

export async function saturation(url, { seconds, concurrency, headers, body }) {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: concurrency });
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  let errors = 0;

  async function worker() {
    while (Date.now() < deadline) {
      const result = await send(pool, target, headers, body).catch(() => ({ status: 0 }));
      if (result.status === 200) {
        done += 1;
      } else {
        errors += 1;
      }
    }
  }

  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (Date.now() - started) / 1000;
  await pool.close();

  return { throughput: Math.round(done / elapsed), errors };
}

async function send(pool, target, headers, body) {
  const response = await pool.request({
    method: 'POST',
    path: target.pathname,
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  await response.body.arrayBuffer();
  const overhead = response.headers['x-litellm-overhead-duration-ms'];

  return {
    status: response.statusCode,
    overhead: overhead === undefined ? null : Number(overhead),
  };
}
