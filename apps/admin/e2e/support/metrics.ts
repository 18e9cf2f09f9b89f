import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Page } from 'playwright-core';
import { REPO } from '../../../api/test/support/started-app';

export const METRICS_FILE = join(REPO, 'test-results/console-metrics.json');
export const CONSOLE_DIR = join(REPO, 'dist/admin/browser');

/** Writes the measurements, replacing those of an earlier run. */
export function writeMetrics(metrics: object): void {
  mkdirSync(dirname(METRICS_FILE), { recursive: true });
  writeFileSync(METRICS_FILE, `${JSON.stringify(metrics, null, 2)}\n`);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);

  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface BundleSize {
  files: { file: string; raw: number; gzip: number }[];
  raw: number;
  gzip: number;
}

/**
 * The initial bundle: the JS and CSS files index.html itself loads (scripts, module preloads,
 * the stylesheet), raw and gzipped. Lazy chunks the router fetches later are not counted.
 */
export function initialBundle(folder = CONSOLE_DIR): BundleSize {
  const html = readFileSync(join(folder, 'index.html'), 'utf8');
  const names = new Set<string>();
  for (const match of html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)) {
    names.add(match[1].replace(/^\.?\//, ''));
  }

  const files = [...names].sort().map((file) => {
    const content = readFileSync(join(folder, file));

    return { file, raw: statSync(join(folder, file)).size, gzip: gzipSync(content).length };
  });

  return {
    files,
    raw: files.reduce((sum, file) => sum + file.raw, 0),
    gzip: files.reduce((sum, file) => sum + file.gzip, 0),
  };
}

/**
 * Makes every page of this context note, in `window.__keysShownAt`, the time since navigation
 * start at which the keys table shows a row or its empty state: taken in the animation frame
 * after that content enters the DOM, when it is laid out and about to be painted.
 */
export async function watchKeysRender(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const shown = () =>
      document.querySelector('[data-testid="key-row"]') !== null ||
      (document.querySelector('[data-testid="keys-table"] td.empty')?.textContent ?? '').includes(
        'No keys',
      );
    const observer = new MutationObserver(() => {
      if (!shown()) {
        return;
      }

      observer.disconnect();
      requestAnimationFrame(() => {
        (window as unknown as { __keysShownAt: number }).__keysShownAt = performance.now();
      });
    });
    observer.observe(document, { childList: true, subtree: true, characterData: true });
  });
}

/** Loads the keys page afresh and returns the milliseconds from navigation to the table. */
export async function timeKeysLoad(page: Page): Promise<number> {
  await page.goto('/ui/keys');
  const handle = await page.waitForFunction(
    () => (window as unknown as { __keysShownAt?: number }).__keysShownAt,
  );

  return Math.round(((await handle.jsonValue()) as number) * 10) / 10;
}
