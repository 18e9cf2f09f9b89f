import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { call, MASTER, Member, onboard, Reply } from './support/http';
import { FakeUpstream, gatewayConfig, UPSTREAM_KEY } from './support/fake-upstream';
import { StartedApp } from './support/started-app';

/** How many generated requests, spread over every route of the OpenAPI document. */
const RUNS = 10_000;

/** Strings that have broken other gateways: injections, traversal, control characters. */
const NASTY = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '1; SELECT pg_sleep(5)',
  '{"$gt": ""}',
  '{"$where": "sleep(1000)"}',
  '__proto__',
  'constructor',
  'prototype',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '\u0000',
  '%00',
  '\r\nSet-Cookie: x=1',
  'sk-' + 'a'.repeat(40),
  'a'.repeat(5000),
  '😀'.repeat(100),
  '-1',
  '1e309',
  'NaN',
  'true',
  'null',
];

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'];

interface Operation {
  method: 'GET' | 'POST';
  path: string;
  fields: string[];
  query: string[];
}

describe('fuzzing every route from its OpenAPI schema', () => {
  let upstream: FakeUpstream;
  let app: StartedApp;
  let member: Member;
  let operations: Operation[];

  beforeAll(async () => {
    upstream = await FakeUpstream.start();
    const configFile = join(mkdtempSync(join(tmpdir(), 'gatehouse-fuzz-')), 'config.yaml');
    writeFileSync(configFile, gatewayConfig(upstream));
    app = await StartedApp.start({
      env: { CONFIG_FILE_PATH: configFile, FAKE_UPSTREAM_KEY: UPSTREAM_KEY, LOG_LEVEL: 'warn' },
    });
    member = await onboard(app, 'internal_user');
    operations = operationsOf((await call(app, 'GET', '/docs-json')).body);
  });

  afterAll(async () => {
    await app.close();
    await upstream.close();
  });

  it(`survives ${RUNS} generated requests: no 5xx, error shape, no change on refusal`, async () => {
    const value = valueArbitrary();
    const byRoute = new Map<string, number>();
    const statuses = new Map<number, number>();
    let auditTotal = await auditCount(app);

    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: operations.length - 1 }),
        fc.array(fc.tuple(fc.oneof(fc.constantFrom(...POLLUTION_KEYS), fc.string()), value), {
          maxLength: 6,
        }),
        fc.array(
          fc.tuple(fc.string({ maxLength: 20 }), fc.oneof(fc.string(), fc.constantFrom(...NASTY))),
          {
            maxLength: 4,
          },
        ),
        fc.constantFrom('master', 'member', 'anonymous', 'bad key'),
        fc.boolean(),
        async (index, extraFields, extraQuery, who, useSchemaFields) => {
          const operation = operations[index];
          const fields = useSchemaFields
            ? operation.fields.map(
                (name, i) => [name, extraFields[i]?.[1] ?? null] as [string, unknown],
              )
            : [];
          const body = serialize([...fields, ...extraFields]);
          const query = Object.fromEntries([
            ...operation.query.map((name, i) => [name, extraQuery[i]?.[1] ?? '']),
            ...extraQuery,
          ]);
          const path = operation.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(NASTY[13]));

          const reply = await call(app, operation.method, path, {
            auth: authOf(who, member),
            query,
            ...(operation.method === 'POST' ? { body } : {}),
          });

          byRoute.set(
            `${operation.method} ${operation.path}`,
            (byRoute.get(`${operation.method} ${operation.path}`) ?? 0) + 1,
          );
          statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
          checkReply(reply, operation);

          // A refused change must leave the database as it was: every change is audited.
          if (operation.method === 'POST' && reply.status >= 400) {
            expect(await auditCount(app)).toBe(auditTotal);
          } else if (operation.method === 'POST') {
            auditTotal = await auditCount(app);
          }
        },
      ),
      { numRuns: RUNS, seed: 20261203 },
    );

    const report = { runs: RUNS, routes: byRoute.size, statuses: Object.fromEntries(statuses) };
    process.stdout.write(`fuzzing: ${JSON.stringify(report)}\n`);
    expect(byRoute.size).toBe(operations.length);
    expect([...statuses.keys()].filter((status) => status >= 500 && status !== 504)).toEqual([]);
  }, 900_000);
});

/** Every operation of the document, with its body fields and query parameters. */
function operationsOf(document: any): Operation[] {
  return Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(
    ([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => {
        const schemaRef: string | undefined =
          operation.requestBody?.content?.['application/json']?.schema?.$ref;
        const schema = schemaRef ? document.components.schemas[schemaRef.split('/').pop()!] : null;

        return {
          method: method.toUpperCase() as 'GET' | 'POST',
          path,
          fields: Object.keys(schema?.properties ?? {}),
          query: (operation.parameters ?? [])
            .filter((parameter: { in: string }) => parameter.in === 'query')
            .map((parameter: { name: string }) => parameter.name),
        };
      }),
  );
}

/** Values of every JSON type, wrong ones included: huge numbers, unicode, deep nesting. */
function valueArbitrary(): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    fc.constantFrom(...NASTY),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.integer(),
    fc.double(),
    fc.constantFrom(1e308, -1e308, 2 ** 64, -0, 0.1 + 0.2),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('gpt-4o', 'text-embedding-3-small', 'internal_user', '30d', 'proxy_admin'),
  );
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      tie('array'),
      tie('object'),
    ),
    array: fc.array(tie('tree'), { maxLength: 4 }),
    object: fc.dictionary(fc.string({ maxLength: 10 }), tie('tree'), { maxKeys: 4 }),
  }));

  return fc.oneof(tree, deepNesting());
}

/** Nesting far deeper than any real body, as an attacker would send. */
function deepNesting(): fc.Arbitrary<unknown> {
  return fc.integer({ min: 50, max: 500 }).map((depth) => {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i++) {
      value = i % 2 ? [value] : { nested: value };
    }

    return value;
  });
}

/** JSON text built by hand, so keys like `__proto__` really are in the body. */
function serialize(entries: [string, unknown][]): string {
  const parts = entries.map(
    ([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`,
  );

  return `{${parts.join(',')}}`;
}

function authOf(who: string, member: Member) {
  switch (who) {
    case 'master':
      return MASTER;
    case 'member':
      return member.session;
    case 'bad key':
      return { bearer: 'sk-not-a-real-key-0000' };
    default:
      return null;
  }
}

function checkReply(reply: Reply, operation: Operation): void {
  const answer = `${reply.status} ${reply.text.slice(0, 300)}`;
  const where = `${operation.method} ${operation.path} -> ${answer}`;
  if (reply.status >= 500 && reply.status !== 504) {
    throw new Error(`server error: ${where}`);
  }
  if (reply.status >= 400) {
    const error = reply.body?.error;
    const shaped =
      typeof error?.message === 'string' &&
      typeof error?.type === 'string' &&
      error?.code === String(reply.status) &&
      (error?.param === null || typeof error?.param === 'string') &&
      !/\n\s+at /.test(error.message);
    if (!shaped) {
      throw new Error(`not the error shape: ${where}`);
    }
  }
}

async function auditCount(app: StartedApp): Promise<number> {
  return (await call(app, 'GET', '/audit', { auth: MASTER, query: { page_size: 1 } })).body.total;
}
