// Keys at scale: seeds 100k users and 1M keys into PostgreSQL with set-based SQL (not the
// API), starts the API on that data and times /key/list and /key/info, p50 and p95 over
// 200 requests each. The seeded schema is kept and reused by later runs.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { startApi, summary, timeSequential } from './harness.mjs';

const USERS = 100_000;
const KEYS = 1_000_000;
const SCHEMA = 'gatehouse_bench';
const MASTER_KEY = 'sk-gatehouse-bench-master-key';

export async function benchKeys(serverUrl) {
  const url = withSearchPath(serverUrl, SCHEMA);
  await prepare(serverUrl);

  // The API runs its migrations into the empty schema, then the seed fills it.
  const first = await startApi({ DATABASE_URL: url, PROXY_MASTER_KEY: MASTER_KEY });
  await first.stop();
  await seed(url);

  const api = await startApi({ DATABASE_URL: url, PROXY_MASTER_KEY: MASTER_KEY });
  try {
    return await measure(api.baseUrl, url);
  } finally {
    await api.stop();
  }
}

async function prepare(serverUrl) {
  await withClient(serverUrl, (client) => client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`));
}

async function seed(url) {
  await withClient(url, async (client) => {
    const { rows } = await client.query('SELECT count(*)::int AS n FROM keys');
    if (rows[0].n >= KEYS) {
      process.stderr.write(`reusing ${rows[0].n} seeded keys in schema ${SCHEMA}\n`);

      return;
    }

    const started = Date.now();
    process.stderr.write(`seeding ${USERS} users and ${KEYS} keys...\n`);
    await client.query('TRUNCATE keys, users CASCADE');
    await client.query(
      `INSERT INTO users (user_id, user_email, user_role, created_at, updated_at)
       SELECT 'bench-user-' || n, 'bench-' || n || '@example.com', 'internal_user',
              now() - n * interval '1 second', now() - n * interval '1 second'
         FROM generate_series(1, $1) AS n`,
      [USERS],
    );
    // Ten keys per user; created_at spread over time, spend and budgets varied.
    await client.query(
      `INSERT INTO keys (token, key_name, key_alias, user_id, spend, max_budget,
                         created_at, updated_at, created_by)
       SELECT encode(sha256(('bench-key-' || n)::bytea), 'hex'),
              'sk-...' || lpad((n % 10000)::text, 4, '0'),
              'alias-' || (n % 1000),
              'bench-user-' || (1 + n % $2),
              (n % 997) * 0.01,
              CASE WHEN n % 3 = 0 THEN NULL ELSE (n % 50) + 1 END,
              now() - n * interval '100 milliseconds',
              now() - n * interval '100 milliseconds',
              'bench'
         FROM generate_series(1, $1) AS n`,
      [KEYS, USERS],
    );
    await client.query('VACUUM ANALYZE keys');
    await client.query('VACUUM ANALYZE users');
    process.stderr.write(`seeded in ${Math.round((Date.now() - started) / 1000)} s\n`);
  });
}

async function measure(baseUrl, url) {
  const headers = { authorization: `Bearer ${MASTER_KEY}` };
  const get = async (path) => {
    const response = await fetch(`${baseUrl}${path}`, { headers });
    if (!response.ok) {
      throw new Error(`${path}: ${response.status} ${await response.text()}`);
    }
    await response.arrayBuffer();
  };

  const deepPage = Math.floor(KEYS / 100 / 2);
  const deepCursor = await cursorBefore(url, (deepPage - 1) * 100);
  const results = {
    'key/list first page (admin, size 100)': summary(
      await timeSequential(() => get('/key/list?size=100&return_full_object=true')),
    ),
    [`key/list deep page ${deepPage} (admin, size 100, offset ${(deepPage - 1) * 100})`]: summary(
      await timeSequential(() =>
        get(`/key/list?size=100&page=${deepPage}&return_full_object=true`),
      ),
    ),
    [`key/list deep page ${deepPage} by cursor (admin, size 100, after next_cursor)`]: summary(
      await timeSequential(() =>
        get(`/key/list?size=100&after=${deepCursor}&return_full_object=true`),
      ),
    ),
    'key/list filtered by user': summary(
      await timeSequential((i) =>
        get(`/key/list?user_id=bench-user-${1 + ((i * 7919) % USERS)}&return_full_object=true`),
      ),
    ),
    'key/list sorted by spend': summary(
      await timeSequential(() => get('/key/list?size=100&sort_by=spend')),
    ),
    'key/info': summary(
      await timeSequential((i) => {
        const n = 1 + ((i * 104729) % KEYS);

        return get(`/key/info?key=${tokenOf(n)}`);
      }),
    ),
  };

  const plans = await explain(url, deepPage);

  return { results, plans };
}

/**
 * The `next_cursor` that the page before `offset` hands out (see apps/api/src/keys/
 * key-cursor.ts): the last key of that page, by the list's default order.
 */
async function cursorBefore(url, offset) {
  const rows = await withClient(url, async (client) => {
    const { rows } = await client.query(
      `SELECT id, created_at::text AS value FROM keys
        ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`,
      [offset - 1],
    );

    return rows;
  });
  const cursor = ['created_at', 'DESC', rows[0].value, rows[0].id];

  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** What the database does for the deep page, both ways, as the app asks for it. */
async function explain(url, deepPage) {
  return withClient(url, async (client) => {
    const plan = async (sql, params) => {
      const { rows } = await client.query(`EXPLAIN (ANALYZE, TIMING OFF) ${sql}`, params);

      return rows.map((row) => row['QUERY PLAN']);
    };
    const { rows } = await client.query(
      'SELECT id, created_at FROM keys ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1',
      [(deepPage - 1) * 100 - 1],
    );

    return {
      by_page: await plan(
        'SELECT id FROM keys ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 100',
        [(deepPage - 1) * 100],
      ),
      by_cursor: await plan(
        `SELECT id FROM keys WHERE (created_at, id) < ($1, $2)
          ORDER BY created_at DESC, id DESC LIMIT 100`,
        [rows[0].created_at, rows[0].id],
      ),
    };
  });
}

function tokenOf(n) {
  return createHash('sha256').update(`bench-key-${n}`).digest('hex');
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
