/** Memory across stored Events: one fresh store process per engine (see eventsProcess.ts). */
import path from 'node:path';
import { BenchContext, EngineName } from '../lib/context';
import { openScratchDatabase } from '../lib/databases';
import { startChild } from './child';
import { MB } from './sample';
import type { EventsRun, EventsSample } from './eventsProcess';

export async function measureEventsGrowth(
  ctx: BenchContext,
  engine: EngineName,
  run: EventsRun,
): Promise<EventsSample[]> {
  const db = await openScratchDatabase(engine, {
    pgUrl: ctx.pgUrl,
    name: 'memory_events',
  });
  const child = await startChild(path.join(__dirname, 'eventsProcess.ts'), {
    POD_WATCH_BENCH_DB: JSON.stringify(db.connection),
  });
  try {
    const samples = await child.request<EventsSample[]>('run', run);
    for (const s of samples) {
      ctx.log(
        `${engine}: ${s.events} Events after ${s.seconds.toFixed(1)} s, rss ${(
          s.rss / MB
        ).toFixed(0)} MB, heap ${(s.heapUsed / MB).toFixed(0)} MB`,
      );
    }
    return samples;
  } finally {
    await child.stop();
    await db.close();
  }
}
