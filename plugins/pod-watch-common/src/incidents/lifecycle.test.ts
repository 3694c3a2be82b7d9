import { applySignal, markCleared, markPodGone, resolution } from './lifecycle';
import type { IncidentLifecycleView } from './lifecycle';
import { DEFAULT_INCIDENT_LIFECYCLE, IncidentSignal } from './types';

const T0 = Date.parse('2026-01-01T12:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const cfg = DEFAULT_INCIDENT_LIFECYCLE;

const crash = (
  count: number,
  t: number,
  active = true,
  pod = 'p1',
): IncidentSignal => ({
  type: 'crash-loop',
  severity: 'critical',
  reason: 'CrashLoopBackOff',
  container: 'app',
  source: 'pod',
  counterKey: `restarts:${pod}/app`,
  counterKind: 'restarts',
  count,
  podUid: pod,
  active,
  at: at(t),
  details: {},
});
const backOff = (count: number, t: number, pod = 'p1'): IncidentSignal => ({
  ...crash(count, t, false, pod),
  source: 'event',
  counterKey: `event:ev-${pod}`,
  counterKind: 'event',
});

/** Applies signals the way the builder does, keeping the stored views. */
function run(signals: Array<[IncidentSignal, number]>) {
  let open: IncidentLifecycleView | undefined;
  let previous: IncidentLifecycleView | undefined;
  const opened: number[] = [];
  for (const [s, now] of signals) {
    const d = applySignal(open, previous, s, new Date(T0 + now * 1000), cfg);
    if (d.action === 'ignore') continue;
    if (d.action === 'open') opened.push(now);
    open = {
      status: 'open',
      firstSeenAt: d.firstSeenAt,
      lastSeenAt: d.lastSeenAt,
      state: d.state,
    };
    const r = resolution(open, new Date(T0 + now * 1000), cfg);
    if (r) {
      previous = { ...open, status: 'resolved', resolvedAt: r };
      open = undefined;
    }
  }
  return { open, previous, opened };
}

describe('incident lifecycle', () => {
  it('counts restarts across pods and prefers them over Event counts', () => {
    const d1 = applySignal(
      undefined,
      undefined,
      crash(2, 0),
      new Date(T0),
      cfg,
    );
    expect(d1).toMatchObject({ action: 'open', occurrences: 2 });
    if (d1.action === 'ignore') throw new Error();
    const open: IncidentLifecycleView = {
      status: 'open',
      firstSeenAt: d1.firstSeenAt,
      lastSeenAt: d1.lastSeenAt,
      state: d1.state,
    };
    // the BackOff Event of the same pod reports the same failures: restarts win
    const d2 = applySignal(
      open,
      undefined,
      backOff(9, 5),
      new Date(T0 + 5000),
      cfg,
    );
    expect(d2).toMatchObject({ action: 'update', occurrences: 2 });
    if (d2.action === 'ignore') throw new Error();
    // another pod of the workload only seen through its Event
    const d3 = applySignal(
      { ...open, state: d2.state },
      undefined,
      backOff(3, 6, 'p2'),
      new Date(T0 + 6000),
      cfg,
    );
    expect(d3).toMatchObject({ occurrences: 5 });
  });

  it('is idempotent: replays change nothing and stale counts do not go back', () => {
    const d1 = applySignal(
      undefined,
      undefined,
      backOff(4, 0),
      new Date(T0),
      cfg,
    );
    if (d1.action === 'ignore') throw new Error();
    const open: IncidentLifecycleView = {
      status: 'open',
      firstSeenAt: d1.firstSeenAt,
      lastSeenAt: d1.lastSeenAt,
      state: d1.state,
    };
    expect(
      applySignal(open, undefined, backOff(4, 0), new Date(T0 + 60_000), cfg),
    ).toEqual({
      action: 'ignore',
      why: 'unchanged',
    });
    const stale = applySignal(
      open,
      undefined,
      backOff(2, 0),
      new Date(T0 + 60_000),
      cfg,
    );
    expect(stale.action === 'ignore' || stale.occurrences === 4).toBe(true);
  });

  it('resolves once clear for the configured time, at the end of that time', () => {
    const { open, previous } = run([
      [crash(1, 0), 0],
      [crash(2, 100), 100],
      [crash(2, 100, false), 120], // running again
      [crash(2, 100, false), 130],
    ]);
    expect(open).toBeDefined();
    expect(previous).toBeUndefined();
    expect(resolution(open!, new Date(T0 + 600_000), cfg)).toBeUndefined();
    expect(resolution(open!, new Date(T0 + 800_000), cfg)).toBe(at(120 + 600));
  });

  it('opens a recurrence for new failures only, never for replays of counted ones', () => {
    const { open, previous, opened } = run([
      [crash(3, 0), 0],
      [crash(3, 10, false), 10],
      // sweep after the clear time: resolution happens inside run() at the next signal
      [crash(3, 10, false), 700],
      [crash(3, 10, false), 800], // replay after resolution: counted already
      [backOff(3, 5), 805], // an Event older than the resolution: history
      [crash(4, 900), 900], // a new crash: recurrence
    ]);
    expect(opened).toEqual([0, 900]);
    expect(previous?.status).toBe('resolved');
    expect(open).toBeDefined();
    const d = applySignal(
      undefined,
      previous,
      crash(4, 900),
      new Date(T0 + 900_000),
      cfg,
    );
    expect(d).toMatchObject({
      action: 'open',
      occurrences: 1,
      firstSeenAt: at(900),
    });
  });

  it('clears counters of pods that stop showing the condition or are deleted', () => {
    const d1 = applySignal(
      undefined,
      undefined,
      crash(1, 0),
      new Date(T0),
      cfg,
    );
    if (d1.action === 'ignore') throw new Error();
    const view: IncidentLifecycleView = {
      status: 'open',
      firstSeenAt: d1.firstSeenAt,
      lastSeenAt: d1.lastSeenAt,
      state: d1.state,
    };
    expect(
      markCleared(view, 'p1', new Set(['restarts:p1/app']), at(5)),
    ).toBeUndefined();
    expect(markCleared(view, 'p1', new Set(), at(5))?.clearSince).toBe(at(5));
    const gone = markPodGone(view, 'p1', at(7));
    expect(gone?.counters['restarts:p1/app']).toMatchObject({
      gone: true,
      active: false,
    });
    expect(
      resolution({ ...view, state: gone! }, new Date(T0 + 8000), cfg, at(7)),
    ).toBe(at(7));
  });

  it('lets sustain-only signals keep an incident open but never open one', () => {
    const sustain = { ...crash(1, 0), sustainOnly: true };
    expect(
      applySignal(undefined, undefined, sustain, new Date(T0), cfg),
    ).toEqual({
      action: 'ignore',
      why: 'counted',
    });
  });

  it('ignores history older than the backfill window', () => {
    expect(
      applySignal(undefined, undefined, backOff(1, -7200), new Date(T0), cfg),
    ).toEqual({ action: 'ignore', why: 'stale' });
  });
});
