import { Browser } from 'playwright-core';
import { call, MASTER } from '../../api/test/support/http';
import { ADMIN_EMAIL, ADMIN_PASSWORD, StartedApp } from '../../api/test/support/started-app';
import { launchBrowser, newPage } from './support/browser';
import {
  BundleSize,
  initialBundle,
  median,
  timeKeysLoad,
  watchKeysRender,
  writeMetrics,
} from './support/metrics';
import { login } from './support/pages';

/**
 * Two figures for the console, written to test-results/console-metrics.json to follow over
 * time. The assertions are sanity bounds only: this is not a speed test.
 */
describe('console measurements', () => {
  const LOADS = 5;
  let app: StartedApp;
  let browser: Browser;
  let keysPage: { samples_ms: number[]; median_ms: number } | null = null;
  let bundle: BundleSize | null = null;

  beforeAll(async () => {
    [app, browser] = await Promise.all([StartedApp.start(), launchBrowser()]);
  });

  afterAll(async () => {
    writeMetrics({
      measured_at: new Date().toISOString(),
      database: app?.embedded ? 'embedded PGlite' : 'PostgreSQL',
      keys_page_first_render: keysPage && { loads: LOADS, ...keysPage },
      initial_bundle: bundle && {
        raw_bytes: bundle.raw,
        gzip_bytes: bundle.gzip,
        files: bundle.files,
      },
    });
    await browser?.close();
    await app?.close();
  });

  it('renders the keys page within seconds of navigation after login', async () => {
    // A key to list, so the table shows a row rather than its empty state.
    const key = await call(app, 'POST', '/key/generate', {
      auth: MASTER,
      body: { key_alias: 'measured' },
    });
    expect(key.status).toBe(200);

    // The admin signs in, then loads the keys page afresh several times.
    const page = await newPage(browser, app);
    await watchKeysRender(page);
    await login(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    const samples: number[] = [];
    for (let load = 0; load < LOADS; load++) {
      samples.push(await timeKeysLoad(page));
    }

    keysPage = { samples_ms: samples, median_ms: median(samples) };
    expect(samples.every((ms) => ms > 0)).toBe(true);
    expect(keysPage.median_ms).toBeLessThan(10_000);
    await page.context().close();
  });

  it('keeps the initial bundle that index.html loads within a sane size', () => {
    bundle = initialBundle();

    // The entry script and the stylesheet are among the files; sizes are plausible.
    const names = bundle.files.map((file) => file.file);
    expect(names.some((name) => /^main-\w+\.js$/.test(name))).toBe(true);
    expect(names.some((name) => /^styles-\w+\.css$/.test(name))).toBe(true);
    expect(bundle.raw).toBeGreaterThan(50_000);
    expect(bundle.raw).toBeLessThan(2_000_000);
    expect(bundle.gzip).toBeLessThan(bundle.raw / 2);
  });
});
