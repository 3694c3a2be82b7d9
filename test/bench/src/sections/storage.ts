/**
 * Storage (figure 5 of the benchmark issue): bytes per stored Event, log line and pod history
 * snapshot, written through the store's own write paths, on PostgreSQL and SQLite. See
 * README-storage.md.
 */
import { openScratchDatabase } from '../lib/databases';
import { BenchItem } from '../lib/report';
import { runSection } from '../lib/section';
import { STORAGE_KINDS, storageItem } from '../storage/figures';
import { tableGrowth } from '../storage/tableGrowth';
import { writeEvents, writeLogLines, writeSnapshots } from '../storage/writers';

runSection('storage', async ctx => {
  const n = ctx.quick
    ? { events: 5_000, logs: 5_000, snapshots: 1_000 }
    : { events: 100_000, logs: 100_000, snapshots: 10_000 };
  const items: BenchItem[] = [];
  for (const engine of ctx.engines) {
    const db = await openScratchDatabase(engine, {
      pgUrl: ctx.pgUrl,
      name: 'storage',
    });
    try {
      const runs = [
        {
          kind: STORAGE_KINDS.events,
          write: () => writeEvents(db.store, n.events),
          rawWhat: 'the JSON of the Events given to the store',
        },
        {
          kind: STORAGE_KINDS.logs,
          write: () => writeLogLines(db.store, n.logs),
          rawWhat: 'the `kubectl logs --timestamps` bodies the lines came from',
        },
        {
          kind: STORAGE_KINDS.snapshots,
          write: () => writeSnapshots(db.store, n.snapshots),
          rawWhat: 'the JSON of the snapshots (pods without managedFields)',
        },
      ];
      for (const { kind, write, rawWhat } of runs) {
        let raw = 0;
        const growth = await tableGrowth(db, kind.table, async () => {
          raw = await write();
        });
        const item = storageItem(engine, kind, growth, raw, rawWhat);
        ctx.log(
          `${item.name}: ${item.value} B (raw ${item.baseline} B, ${item.ratio}×)`,
        );
        items.push(item);
      }
    } finally {
      await db.close();
    }
  }
  return items;
});
