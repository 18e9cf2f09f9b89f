// `npm start`: builds the API and the console when their sources are newer than the
// build, then runs the API (which serves the console under /ui) in this process's place.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

const parts = [
  {
    name: 'api',
    script: 'build:api',
    sources: ['apps/api/src', 'libs/domain/src'],
    output: 'dist/api/main.js',
  },
  {
    name: 'console',
    script: 'build:admin',
    sources: ['apps/admin/src', 'libs/domain/src'],
    output: 'dist/admin/browser/index.html',
    optional: 'apps/admin/package.json',
  },
];

for (const part of parts) {
  if (part.optional && !existsSync(join(root, part.optional))) {
    continue;
  }

  const output = join(root, part.output);
  const stale = !existsSync(output) || newest(part.sources) > statSync(output).mtimeMs;
  if (!stale) {
    continue;
  }

  process.stdout.write(`Building the ${part.name}...\n`);
  const build = spawnSync('npm', ['run', part.script], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    process.exit(build.status ?? 1);
  }
}

const api = spawn(process.execPath, [join(root, 'dist/api/main.js')], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => api.kill(signal));
}
api.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

function newest(folders) {
  let latest = 0;
  for (const folder of folders) {
    const path = join(root, folder);
    if (existsSync(path)) {
      latest = Math.max(latest, newestIn(path));
    }
  }

  return latest;
}

function newestIn(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) {
    return stat.mtimeMs;
  }

  return readdirSync(path).reduce(
    (latest, name) => Math.max(latest, newestIn(join(path, name))),
    0,
  );
}
