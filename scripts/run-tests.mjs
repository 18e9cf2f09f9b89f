// Runs every test of the project and ends with one line: "N passed, N failed".
// Jest (API unit and end-to-end suites) and the console's own runner each write a JSON
// report; this script adds them up, since neither prints a line in that form.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const results = join(root, 'test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const extraArgs = process.argv.slice(2);
const suites = [];

const jestReport = join(results, 'jest.json');
const jest = spawnSync(
  'npx',
  ['jest', '--json', `--outputFile=${jestReport}`, '--maxWorkers=2', ...extraArgs],
  { cwd: root, stdio: 'inherit' },
);
suites.push(readReport('api (jest)', jestReport, jest.status));

const adminPackage = join(root, 'apps/admin/package.json');
if (existsSync(adminPackage) && extraArgs.length === 0) {
  const adminReport = join(root, 'apps/admin/test-results.json');
  rmSync(adminReport, { force: true });
  const admin = spawnSync('npm', ['run', 'test', '-w', 'apps/admin'], {
    cwd: root,
    stdio: 'inherit',
  });
  suites.push(readReport('console (ng test)', adminReport, admin.status));
}

let passed = 0;
let failed = 0;
for (const suite of suites) {
  process.stdout.write(`${suite.name}: ${suite.passed} passed, ${suite.failed} failed\n`);
  passed += suite.passed;
  failed += suite.failed;
}

process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || suites.some((suite) => suite.broken) ? 1 : 0);

/** A runner that exits non-zero without a report still counts as a failure. */
function readReport(name, file, status) {
  if (!existsSync(file)) {
    return { name, passed: 0, failed: 1, broken: true };
  }

  const report = JSON.parse(readFileSync(file, 'utf8'));
  const suiteErrors = report.numRuntimeErrorTestSuites ?? 0;
  const failedTests = (report.numFailedTests ?? 0) + suiteErrors;

  return {
    name,
    passed: report.numPassedTests ?? 0,
    failed: failedTests,
    broken: status !== 0 && failedTests === 0,
  };
}
