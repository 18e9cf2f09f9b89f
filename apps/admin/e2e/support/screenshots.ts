import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { REPO } from '../../../api/test/support/started-app';

export const SCREENSHOTS = join(REPO, 'test-results/screenshots');

/**
 * Saves the viewport as `<repo>/test-results/screenshots/<name>.png`, after the fonts have
 * loaded and animations have settled, so the picture shows what a user would see.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);

  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });

  return path;
}
