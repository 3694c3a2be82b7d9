/**
 * Page loads of several pages in interleaved rounds (one load of each per round), so a noisy
 * moment on the machine hits every page alike. The first page is loaded once unmeasured before:
 * the backend's first queries and the browser's first compile are not what a user waits for.
 */
import type { Browser } from '@playwright/test';
import { loadPage } from './browser';
import type { PageResult } from './page';

export async function measureRounds<K extends string>(
  browser: Browser,
  pages: Record<K, string>,
  rounds: number,
  log: (message: string) => void,
): Promise<Record<K, PageResult[]>> {
  const results = {} as Record<K, PageResult[]>;
  const entries = Object.entries(pages) as Array<[K, string]>;
  await loadPage(browser, entries[0][1]);
  for (const [name] of entries) results[name] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [name, url] of entries)
      results[name].push(await loadPage(browser, url));
    const took = (n: K) =>
      results[n][round].readyAt - results[n][round].mountAt;
    log(
      `round ${round + 1}/${rounds}: ${entries
        .map(([n]) => `${n} ${Math.round(took(n))} ms`)
        .join(', ')}`,
    );
  }
  return results;
}
