/**
 * Memory (figure 4 of the benchmark issue): backend RSS and heap growth per 10k tracked pods,
 * and RSS across 1M stored Events, per engine. See README-memory.md.
 */
import { measureEventsGrowth } from '../memory/eventsGrowth';
import { eventItem, podItems } from '../memory/figures';
import { preparePodRig } from '../memory/podGrowth';
import { BenchItem } from '../lib/report';
import { runSection } from '../lib/section';

runSection('memory', async ctx => {
  const podSteps = ctx.quick ? [2_000] : [10_000, 20_000];
  const events = ctx.quick
    ? { total: 50_000, sampleEvery: 5_000 }
    : { total: 1_000_000, sampleEvery: 100_000 };
  const items: BenchItem[] = [];
  // the backends load their modules in parallel, then are measured one at a time
  const rigs = await Promise.all(ctx.engines.map(e => preparePodRig(ctx, e)));
  try {
    for (const rig of rigs) {
      items.push(...podItems(rig.engine, await rig.measure(podSteps)));
    }
  } finally {
    await Promise.all(rigs.map(r => r.close()));
  }
  for (const engine of ctx.engines) {
    const samples = await measureEventsGrowth(ctx, engine, {
      ...events,
      batch: 5_000,
      pods: 10_000,
      entities: 100,
    });
    items.push(eventItem(engine, samples));
  }
  return items;
});
