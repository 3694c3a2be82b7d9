/** Turns the memory samples into report items (one per figure and engine). */
import { EngineName } from '../lib/context';
import { BenchItem, round } from '../lib/report';
import type { EventsSample } from './eventsProcess';
import type { PodGrowth } from './podGrowth';
import { MB, MemorySample } from './sample';

const POD_GOAL_MB = 100;
type Figure = 'rss' | 'heapUsed';
const EVENTS_GOAL_MB = 50;

// what a miss means (README-memory.md has the measurements behind these)
const MISSED: Record<Figure, string> = {
  rss: 'RSS keeps the high-water mark of the list/ADDED burst (V8 pages and malloc arenas are not returned to the OS after gc) and, on SQLite, the page cache the store sizes up to 64 MiB; compare the heap figure, which is what the pods retain',
  heapUsed:
    'the backend retains this much per pod: reflector cache, the last state per pod kept for history diffs, incident builder state',
};

/** Average growth from the baseline to the largest step, in MB per 10k pods. */
function perTenThousand(growth: PodGrowth, of: keyof MemorySample): number {
  const last = growth.steps[growth.steps.length - 1];
  return ((last.memory[of] - growth.baseline[of]) / last.pods) * (10_000 / MB);
}

/** Growth per 10k pods between consecutive steps: flat steps mean one-off costs, not per pod. */
function marginal(growth: PodGrowth, of: keyof MemorySample): string {
  const points = [{ pods: 0, memory: growth.baseline }, ...growth.steps];
  return points
    .slice(1)
    .map((p, i) => {
      const prev = points[i];
      const perTenK =
        ((p.memory[of] - prev.memory[of]) / (p.pods - prev.pods)) *
        (10_000 / MB);
      return `${prev.pods}→${p.pods}: ${round(perTenK)}`;
    })
    .join(', ');
}

const mb = (bytes: number) => round(bytes / MB);

export function podItems(engine: EngineName, growth: PodGrowth): BenchItem[] {
  const steps = growth.steps
    .map(s => `${s.pods} pods in sync after ${s.syncSeconds} s`)
    .join(', ');
  return (['rss', 'heapUsed'] as const).map(of => {
    const value = round(perTenThousand(growth, of));
    const baseline = round(growth.baseline[of] / MB);
    const at = growth.steps
      .map(s => `${round(s.memory[of] / MB)} MB at ${s.pods} pods`)
      .join(', ');
    const missed = value > POD_GOAL_MB ? `; over the goal: ${MISSED[of]}` : '';
    // what else RSS holds besides the live heap, from the baseline to the last step
    const last = growth.steps[growth.steps.length - 1].memory;
    const parts =
      of === 'rss'
        ? `; V8 heap kept ${mb(growth.baseline.heapTotal)} → ${mb(
            last.heapTotal,
          )} MB, external ${mb(growth.baseline.external)} → ${mb(
            last.external,
          )} MB`
        : '';
    const slopes =
      growth.steps.length > 1
        ? `; per 10k by step ${marginal(growth, of)} MB`
        : '';
    return {
      name: `memory: backend ${
        of === 'rss' ? 'RSS' : 'heap'
      } growth per 10k tracked pods (${engine})`,
      value,
      unit: 'MB per 10k pods',
      baseline,
      ratio: round(value / baseline),
      goal: `≤ ${POD_GOAL_MB} MB per 10k pods`,
      met: value <= POD_GOAL_MB,
      note: `after gc; baseline = the backend idle, in sync with an empty cluster; ${at}${slopes}${parts}; ${steps}${missed}`,
    };
  });
}

export function eventItem(
  engine: EngineName,
  samples: EventsSample[],
): BenchItem {
  const first = samples[0];
  const last = samples[samples.length - 1];
  const growth = (last.rss - first.rss) / MB;
  const heapGrowth = (last.heapUsed - first.heapUsed) / MB;
  const k = (n: number) =>
    n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`;
  return {
    name: `memory: RSS growth from ${k(first.events)} to ${k(
      last.events,
    )} stored Events (${engine})`,
    value: round(growth),
    unit: 'MB',
    baseline: round(first.rss / MB),
    ratio: round(last.rss / first.rss),
    goal: `flat: ≤ ${EVENTS_GOAL_MB} MB growth from ${k(first.events)} to ${k(
      last.events,
    )} Events`,
    met: growth <= EVENTS_GOAL_MB,
    note:
      `after gc; baseline = RSS at ${k(first.events)}; heap ${round(
        heapGrowth,
      )} MB over the same span; ` +
      `RSS ${samples.map(s => round(s.rss / MB)).join(' → ')} MB; ` +
      `${round(
        last.events / last.seconds,
      )} Events/s with entity-page queries between batches`,
  };
}
