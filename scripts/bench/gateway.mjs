// Gateway overhead against two baselines, in one run on one machine: the fake upstream
// called directly, and a bare Fastify pass-through. Added latency = a target's latency
// minus the direct call's, at 500 requests per second; then each one's saturation
// throughput.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, percentile, round, ROOT, startApi } from './harness.mjs';
import { fixedRate, saturation } from './load.mjs';

const MASTER_KEY = 'sk-gatehouse-bench-master-key';
const SCHEMA = 'gatehouse_bench_gateway';
const RATE = 500;
const SECONDS = 10;
const BODY = JSON.stringify({
  model: 'bench-model',
  messages: [{ role: 'user', content: 'Say hello' }],
});

export async function benchGateway(serverUrl) {
  const upstreamPort = await freePort();
  const upstream = await child(join(ROOT, 'scripts/bench/upstream.mjs'), [String(upstreamPort)]);
  const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
  const passPort = await freePort();
  const passthrough = await child(join(ROOT, 'scripts/bench/passthrough.mjs'), [
    upstreamUrl,
    String(passPort),
  ]);

  await withClient(serverUrl, async (client) => {
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await client.query(`CREATE SCHEMA ${SCHEMA}`);
  });
  const config = join(mkdtempSync(join(tmpdir(), 'gatehouse-bench-')), 'config.yaml');
  writeFileSync(
    config,
    `model_list:\n  - model_name: bench-model\n    litellm_params:\n      model: openai/bench-model\n` +
      `      api_base: ${upstreamUrl}/v1\n    model_info:\n      input_cost_per_token: 0.000001\n` +
      `      output_cost_per_token: 0.000002\n`,
  );
  const api = await startApi({
    DATABASE_URL: withSearchPath(serverUrl, SCHEMA),
    PROXY_MASTER_KEY: MASTER_KEY,
    CONFIG_FILE_PATH: config,
    LOG_LEVEL: 'warn',
  });

  try {
    const key = await newKey(api.baseUrl, {});
    const budgetKey = await newKey(api.baseUrl, { max_budget: 1_000_000 });
    const targets = {
      direct: { url: `${upstreamUrl}/v1/chat/completions`, headers: {} },
      passthrough: { url: `http://127.0.0.1:${passPort}/v1/chat/completions`, headers: {} },
      gateway: {
        url: `${api.baseUrl}/v1/chat/completions`,
        headers: { authorization: `Bearer ${key}` },
      },
      'gateway, key with a budget': {
        url: `${api.baseUrl}/v1/chat/completions`,
        headers: { authorization: `Bearer ${budgetKey}` },
      },
    };

    const atRate = {};
    for (const [name, target] of Object.entries(targets)) {
      // Warm up connections, JIT and caches first, at the measured rate: a gateway request
      // runs far more code than a pass-through, and 400 calls left some of it unoptimised
      // (the first gateway run's p99 was then several times the next one's).
      await fixedRate(target.url, { rate: RATE, seconds: 5, headers: target.headers, body: BODY });
      const run = await fixedRate(target.url, {
        rate: RATE,
        seconds: SECONDS,
        headers: target.headers,
        body: BODY,
      });
      atRate[name] = {
        requests: run.latencies.length,
        errors: run.errors,
        p50: round(percentile(run.latencies, 50)),
        p99: round(percentile(run.latencies, 99)),
        ...(run.overheads.length > 0
          ? {
              overheadHeaderP50: round(percentile(run.overheads, 50)),
              overheadHeaderP99: round(percentile(run.overheads, 99)),
            }
          : {}),
      };
    }

    const added = {};
    for (const name of Object.keys(targets).filter((n) => n !== 'direct')) {
      added[name] = {
        p50: round(atRate[name].p50 - atRate.direct.p50),
        p99: round(atRate[name].p99 - atRate.direct.p99),
      };
    }

    const saturated = {};
    for (const [name, target] of Object.entries(targets)) {
      saturated[name] = await saturation(target.url, {
        seconds: 5,
        concurrency: 64,
        headers: target.headers,
        body: BODY,
      });
    }

    return {
      [`at ${RATE} requests per second for ${SECONDS} s (ms)`]: atRate,
      'added latency over the direct call (ms)': added,
      'gateway added p50 / pass-through added p50': round(
        added.gateway.p50 / added.passthrough.p50,
        2,
      ),
      'saturation throughput (requests per second, 64 connections)': saturated,
      'gateway saturation / pass-through saturation': round(
        saturated.gateway.throughput / saturated.passthrough.throughput,
        2,
      ),
    };
  } finally {
    await api.stop();
    passthrough.kill();
    upstream.kill();
  }
}

async function newKey(baseUrl, body) {
  const response = await fetch(`${baseUrl}/key/generate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  return (await response.json()).key;
}

/** Starts a node script that prints its port when it listens. */
function child(script, args) {
  return new Promise((done, fail) => {
    const process_ = spawn(process.execPath, [script, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    process_.stdout.once('data', () => done(process_));
    process_.once('exit', (code) => fail(new Error(`${script} exited with ${code}`)));
  });
}

function withSearchPath(url, schema) {
  const separator = url.includes('?') ? '&' : '?';

  return `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
