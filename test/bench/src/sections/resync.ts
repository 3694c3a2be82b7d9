/**
 * Figure 3: a full resync of 10k pods (initial list into an empty database, and the periodic
 * relist into one that holds them) against the floor of only downloading and parsing the same
 * list in the same run. See README-resync.md.
 */
import { startSimProcess } from '../ingestion/simProcess';
import { BenchItem, median, round } from '../lib/report';
import { runSection } from '../lib/section';
import { measureResync, ResyncRound } from '../resync/measureResync';

const GOAL_RATIO = 2;

runSection('resync', async ctx => {
  const pods = ctx.quick ? 1000 : 10_000;
  const rounds = 3;
  const sim = await startSimProcess();
  const items: BenchItem[] = [];
  try {
    await sim.request({ op: 'createPods', args: { pods, namespaces: 10 } });
    for (const engine of ctx.engines) {
      const r = await measureResync({
        engine,
        pgUrl: ctx.pgUrl,
        sim,
        pods,
        rounds,
        log: ctx.log,
      });
      const figure = (
        what: string,
        ours: (x: ResyncRound) => number,
        floor: (x: ResyncRound) => number,
        parts: (x: ResyncRound) => { store: number; incidents: number },
      ): BenchItem => {
        const ratios = r.rounds.map(x => ours(x) / floor(x));
        const ratio = median(ratios);
        const ms = (f: (x: ResyncRound) => number) =>
          `${Math.round(median(r.rounds.map(f)))} ms`;
        return {
          name: `resync ${pods} pods, ${what} (${engine})`,
          value: round(median(r.rounds.map(ours))),
          unit: 'ms',
          baseline: round(median(r.rounds.map(floor))),
          ratio: round(ratio),
          goal: '≤ 2× the floor (download + JSON.parse of the same paginated list)',
          met: ratio <= GOAL_RATIO && r.mismatched === 0,
          note: `median of ${rounds} rounds, each against the floor measured just before it (ratios ${ratios
            .map(x => `${round(x)}×`)
            .join(', ')}); of our time, store writes ${ms(
            x => parts(x).store,
          )} and incident building ${ms(
            x => parts(x).incidents,
          )} (the rest: download, parse and reconcile bookkeeping)${
            r.mismatched
              ? `; ${r.mismatched} pods differed from the simulator after a list`
              : ''
          }`,
        };
      };
      items.push(
        figure(
          'initial list into an empty database',
          x => x.initialMs,
          x => x.floorBeforeInitialMs,
          x => ({ store: x.initialStoreMs, incidents: x.initialIncidentMs }),
        ),
        figure(
          'relist into a database holding them',
          x => x.relistMs,
          x => x.floorBeforeRelistMs,
          x => ({ store: x.relistStoreMs, incidents: x.relistIncidentMs }),
        ),
      );
    }
  } finally {
    await sim.close();
  }
  return items;
});
