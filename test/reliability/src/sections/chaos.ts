/**
 * Section `chaos`: the production watch path (PodWatchEngine.watchCluster: reflectors, store
 * handlers, incident builder) under ≥ 50 injected watch faults of every kind, on SQLite and on
 * PostgreSQL; afterwards nothing lost and nothing duplicated against the simulator's ledger.
 */
import { FAULT_KINDS } from '../chaos/faultPlan';
import { chaosRun, ChaosSettings } from '../chaos/chaosRun';
import { runSection } from '../lib/section';
import { Checks } from '../lib/result';

const QUICK: ChaosSettings = {
  churnSeconds: 20,
  faultEveryMs: 300,
  pods: 300,
  eventsPerSecond: 30,
  podUpdatesPerSecond: 15,
  timeScale: 30,
  catchUpSeconds: 20,
};

const FULL: ChaosSettings = {
  churnSeconds: 90,
  faultEveryMs: 300,
  pods: 1000,
  eventsPerSecond: 50,
  podUpdatesPerSecond: 25,
  timeScale: 30,
  catchUpSeconds: 120,
};

const MIN_FAULTS = 50;

runSection('chaos', async ctx => {
  const checks = new Checks();
  const settings = ctx.quick ? QUICK : FULL;
  let faults = 0;
  let lost = 0;
  let duplicates = 0;
  // POD_WATCH_CHAOS_ENGINES=sqlite narrows a run while investigating
  const engines = (process.env.POD_WATCH_CHAOS_ENGINES ?? 'sqlite,pg')
    .split(',')
    .filter((e): e is 'sqlite' | 'pg' => e === 'sqlite' || e === 'pg');
  for (const engine of engines) {
    const r = await chaosRun(engine, settings, ctx);
    const c = r.comparison;
    faults += r.faults;
    lost += c.lost;
    duplicates += c.duplicates;
    ctx.log(
      `[chaos] ${engine}: ${r.changes} changes, ${
        r.occurrences
      } Event occurrences, ${r.gaps} gaps (${
        c.details.excusedByGaps
      } changes inside them), checked ${JSON.stringify(c.details.checked)}`,
    );
    for (const e of c.details.examples) ctx.log(`[chaos] ${engine}: ${e}`);
    checks.expect(
      `${engine}: at least ${MIN_FAULTS} faults injected`,
      r.faults >= MIN_FAULTS,
      `${r.faults}: ${JSON.stringify(r.faultsByKind)}`,
    );
    const missing = FAULT_KINDS.filter(k => r.faultsByKind[k] === 0);
    checks.expect(
      `${engine}: every fault kind injected`,
      missing.length === 0,
      missing.length ? `never hit: ${missing.join(', ')}` : undefined,
    );
    checks.expect(
      `${engine}: faults spread over the whole churn`,
      r.faultsPerQuarter.every(n => n > 0),
      `per quarter ${r.faultsPerQuarter.join('/')}`,
    );
    checks.expect(
      `${engine}: nothing lost`,
      c.lost === 0,
      `lost=${c.lost} ${JSON.stringify(c.details.lost)}`,
    );
    checks.expect(
      `${engine}: nothing duplicated`,
      c.duplicates === 0,
      `duplicates=${c.duplicates} ${JSON.stringify(c.details.duplicates)}`,
    );
    const down = r.reflectors
      .filter(s => !s.connected)
      .map(
        s =>
          `${s.kind} (relists ${s.relists}, last list ${
            s.lastListAt ?? 'never'
          }, last error ${s.lastError})`,
      );
    checks.expect(
      `${engine}: every watch recovered (connected, no gap left open)`,
      r.reflectors.length > 0 && down.length === 0 && r.openGaps === 0,
      `caught up ${
        r.catchUpMs === undefined ? 'never' : `${r.catchUpMs} ms`
      } after churn; disconnected: ${down.join(', ') || 'none'}; open gaps ${
        r.openGaps
      }`,
    );
    const a = r.afterPlanting;
    checks.expect(
      `${engine}: the comparison counts planted discrepancies`,
      a.lost - c.lost === r.planted.lost &&
        a.duplicates - c.duplicates === r.planted.duplicates &&
        r.planted.lost + r.planted.duplicates >= 3,
      `planted ${r.planted.what.join(', ')}: lost +${a.lost - c.lost} (want +${
        r.planted.lost
      }), duplicates +${a.duplicates - c.duplicates} (want +${
        r.planted.duplicates
      })`,
    );
    const pods = r.reflectors.find(s => s.kind === 'pods');
    checks.expect(
      `${engine}: 410 forced relists`,
      (pods?.relists ?? 0) > 1,
      `pods relisted ${pods?.relists ?? 0} times, re-watched ${
        pods?.watchRestarts ?? 0
      } times`,
    );
  }
  return { counts: { faults, lost, duplicates }, checks: checks.list };
});
