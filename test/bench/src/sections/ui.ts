/*
 * UI: time for the Pod health tab to show 1,000 pods and for the Logs tab to show an entity's
 * 10k stored log lines, in Chromium, per database engine. The real tab components and API client
 * (production build) against the real backend over a seeded database; baseline: the same tabs
 * for an entity with 10 pods and 100 lines, measured in the same rounds.
 */
import type { BenchContext, EngineName } from '../lib/context';
import { openScratchDatabase } from '../lib/databases';
import { BenchItem } from '../lib/report';
import { runSection } from '../lib/section';
import { componentEntity, shownByTabs, startUiBackend } from '../ui/backend';
import { launchChromium } from '../ui/browser';
import { bundlePage } from '../ui/bundle';
import { tabItems } from '../ui/items';
import { measureRounds } from '../ui/rounds';
import {
  EntitySeed,
  LARGE_WORKLOADS,
  seedEntities,
  SeededEntity,
  simulateEntities,
  SMALL_WORKLOADS,
} from '../ui/seed';
import { startPageServer } from '../ui/server';

const LARGE: EntitySeed = {
  id: 'checkout',
  workloads: LARGE_WORKLOADS,
  logLines: 10_000,
};
const SMALL: EntitySeed = {
  id: 'cart',
  workloads: SMALL_WORKLOADS,
  logLines: 100,
};

async function measureEngine(
  ctx: BenchContext,
  engine: EngineName,
  js: string,
  objects: Awaited<ReturnType<typeof simulateEntities>>,
  browser: Awaited<ReturnType<typeof launchChromium>>,
): Promise<BenchItem[]> {
  const db = await openScratchDatabase(engine, {
    pgUrl: ctx.pgUrl,
    name: 'ui',
  });
  try {
    let t0 = Date.now();
    const [large, small] = await seedEntities(
      db.store,
      [LARGE, SMALL],
      objects,
    );
    ctx.log(
      `${engine}: seeded ${large.pods} + ${small.pods} pods, ${
        large.logLines
      } + ${small.logLines} log lines in ${
        Date.now() - t0
      } ms (health ${JSON.stringify(large.health)})`,
    );
    const backend = await startUiBackend(db, [
      componentEntity(LARGE.id),
      componentEntity(SMALL.id),
    ]);
    const server = await startPageServer(js, backend.url);
    try {
      const shown = {
        large: await shownByTabs(backend, LARGE.id),
        small: await shownByTabs(backend, SMALL.id),
      };
      const page = (tab: 'pods' | 'logs', e: SeededEntity, expect: number) =>
        server.page(`${tab}-${e.id}`, {
          tab,
          entity: componentEntity(e.id),
          token: backend.token,
          expect,
          scroll: tab === 'logs',
        });
      t0 = Date.now();
      const rounds = await measureRounds(
        browser,
        {
          // first: the unmeasured warm-up load (it queries both routes for the large entity)
          logsLarge: page('logs', large, shown.large.entries),
          logsSmall: page('logs', small, shown.small.entries),
          podsLarge: page('pods', large, shown.large.pods),
          podsSmall: page('pods', small, shown.small.pods),
        },
        ctx.quick ? 2 : 10,
        m => ctx.log(`${engine}: ${m}`),
      );
      ctx.log(`${engine}: page loads took ${Date.now() - t0} ms`);
      return tabItems({ engine, rounds, shown, large, small });
    } finally {
      await server.close();
      await backend.stop();
    }
  } finally {
    await db.close();
  }
}

runSection('ui', async ctx => {
  const [{ js, ms: bundleMs }, objects, browser] = await Promise.all([
    bundlePage(),
    simulateEntities([LARGE, SMALL]),
    launchChromium(),
  ]);
  ctx.log(`page bundle ${Math.round(js.length / 1024)} KiB in ${bundleMs} ms`);
  try {
    const items: BenchItem[] = [];
    for (const engine of ctx.engines)
      items.push(...(await measureEngine(ctx, engine, js, objects, browser)));
    return items;
  } finally {
    await browser.close();
  }
});
