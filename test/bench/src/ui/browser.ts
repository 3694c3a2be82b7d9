/**
 * Debian's Chromium driven by Playwright (never a downloaded browser), and one measured page
 * load: a fresh context (empty cache, like a new visitor's tab), the page's own timings back.
 */
import { Browser, chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '@pod-watch/test-fixtures';
import type { PageResult } from './page';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

export async function loadPage(
  browser: Browser,
  url: string,
  timeoutMs = 30_000,
): Promise<PageResult> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
  });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', e => errors.push(e.message));
    await page.goto(url);
    try {
      // polled slowly: the probe in the page takes the times, this only collects them
      await page.waitForFunction(() => window.uiBench !== undefined, null, {
        timeout: timeoutMs,
        polling: 100,
      });
    } catch (e) {
      throw new Error(
        `${url}: the tab did not show its data in ${timeoutMs} ms${
          errors.length ? ` (page errors: ${errors.join('; ')})` : ''
        }`,
      );
    }
    const result = await page.evaluate(() => window.uiBench!);
    if (result.error) throw new Error(`${url}: ${result.error}`);
    return result;
  } finally {
    await context.close();
  }
}
