/**
 * The pure incident lifecycle: how a signal changes an open incident (or opens one, possibly as a
 * recurrence of a resolved one) and when an incident resolves. Every count is absolute, so
 * applying the same signal twice, in any order, leaves the same result: relists and backend
 * restarts cannot inflate occurrences or open duplicates.
 */
import type {
  IncidentCounterKind,
  IncidentLifecycleConfig,
  IncidentSignal,
} from './types';

/**
 * One counted thing inside an incident (a container's failures, an Event's count, a presence).
 *
 * @public
 */
export interface IncidentCounter {
  kind: IncidentCounterKind;
  /** Pod the counter belongs to; counters without a pod (e.g. a Job's Event) form their own group. */
  pod?: string;
  /** Value already accounted for before this incident (by the incident it recurs from). */
  base: number;
  last: number;
  active: boolean;
  /** The pod is gone: this counter can no longer be active. */
  gone?: boolean;
  at: string;
}

/**
 * Lifecycle state kept with an incident (in its evidence).
 *
 * @public
 */
export interface IncidentState {
  counters: Record<string, IncidentCounter>;
  /** When the last active counter became inactive. */
  clearSince?: string;
}

/**
 * The parts of a stored incident the lifecycle reads.
 *
 * @public
 */
export interface IncidentLifecycleView {
  status: 'open' | 'resolved';
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt?: string;
  state: IncidentState;
}

/**
 * What to do with a signal.
 *
 * @public
 */
export type IncidentDecision =
  | { action: 'ignore'; why: 'stale' | 'counted' | 'unchanged' }
  | {
      action: 'open' | 'update';
      state: IncidentState;
      occurrences: number;
      firstSeenAt: string;
      lastSeenAt: string;
    };

const ms = (iso: string | undefined) =>
  iso === undefined ? NaN : Date.parse(iso);
const later = (a: string, b: string) => (ms(b) > ms(a) ? b : a);
const earlier = (a: string, b: string) => (ms(b) < ms(a) ? b : a);

/**
 * Occurrences of an incident from its counters: per pod, its container failures when known
 * (restart counts are exact), otherwise the largest Event-count or presence delta (several Events
 * usually report one failure); summed over pods. Counters not tied to a pod (a Job's or a
 * Deployment's Events) only count when no pod does.
 *
 * @public
 */
export function occurrencesOf(state: IncidentState): number {
  const groups = new Map<string, { restarts: number; other: number }>();
  for (const [key, c] of Object.entries(state.counters)) {
    const group = c.pod ?? `~${key}`;
    const g = groups.get(group) ?? { restarts: 0, other: 0 };
    const delta = Math.max(0, c.last - c.base);
    if (c.kind === 'restarts') g.restarts += delta;
    else g.other = Math.max(g.other, delta);
    groups.set(group, g);
  }
  let pods = 0;
  let objects = 0;
  for (const [group, g] of groups) {
    const n = g.restarts > 0 ? g.restarts : g.other;
    if (group.startsWith('~')) objects += n;
    else pods += n;
  }
  return Math.max(1, pods > 0 ? pods : objects);
}

function anyActive(state: IncidentState): boolean {
  return Object.values(state.counters).some(c => c.active && !c.gone);
}

/**
 * Applies a signal to the open incident of its fingerprint, or decides whether it opens a new
 * one. `previous` is the latest resolved incident of the same fingerprint: what it already
 * counted is not counted again, and a signal older than its resolution is history, not a
 * recurrence.
 *
 * @public
 */
export function applySignal(
  open: IncidentLifecycleView | undefined,
  previous: IncidentLifecycleView | undefined,
  signal: IncidentSignal,
  now: Date,
  config: IncidentLifecycleConfig,
): IncidentDecision {
  const at = signal.at;
  if (
    !signal.active &&
    now.getTime() - ms(at) > config.maxBackfillSeconds * 1000
  ) {
    return { action: 'ignore', why: 'stale' };
  }
  const fresh: IncidentCounter = {
    kind: signal.counterKind,
    base: 0,
    last: signal.count,
    active: signal.active,
    at,
  };
  if (signal.podUid) fresh.pod = signal.podUid;

  if (open) {
    const existing = open.state.counters[signal.counterKey];
    let counter: IncidentCounter;
    if (existing) {
      counter = {
        ...existing,
        last: Math.max(existing.last, signal.count),
        active: signal.active,
        at: later(existing.at, at),
      };
      delete counter.gone;
    } else {
      const prior = previous?.state.counters[signal.counterKey];
      counter = {
        ...fresh,
        base: prior ? Math.min(prior.last, signal.count) : 0,
      };
    }
    if (existing && JSON.stringify(existing) === JSON.stringify(counter)) {
      return { action: 'ignore', why: 'unchanged' };
    }
    const counters = limitCounters(
      { ...open.state.counters, [signal.counterKey]: counter },
      config.maxCounters,
    );
    const grew = !existing || counter.last > existing.last || signal.active;
    const state: IncidentState = { counters };
    if (!anyActive(state)) {
      // clear since now if this signal cleared it, else since it was last cleared
      state.clearSince = anyActive(open.state)
        ? later(open.lastSeenAt, now.toISOString())
        : open.state.clearSince ?? open.lastSeenAt;
    }
    return {
      action: 'update',
      state,
      occurrences: occurrencesOf(state),
      firstSeenAt: open.firstSeenAt,
      lastSeenAt: grew ? later(open.lastSeenAt, at) : open.lastSeenAt,
    };
  }

  if (signal.sustainOnly) return { action: 'ignore', why: 'counted' };
  // no open incident: open one unless the signal was already counted by the previous incident
  const prior = previous?.state.counters[signal.counterKey];
  let base = 0;
  if (previous) {
    // anything observed before the resolution was part of the resolved incident (a replay)
    const resolvedMs = ms(previous.resolvedAt ?? previous.lastSeenAt);
    if (ms(at) <= resolvedMs) return { action: 'ignore', why: 'counted' };
    if (prior) {
      const cameBack =
        // a condition without a count (image pull, pending) that came back
        signal.counterKind !== 'restarts' &&
        signal.active &&
        !prior.active &&
        !prior.gone;
      if (signal.count > prior.last) base = prior.last;
      else if (cameBack) base = signal.count - 1;
      else return { action: 'ignore', why: 'counted' };
    }
  }
  const state: IncidentState = {
    counters: { [signal.counterKey]: { ...fresh, base } },
  };
  if (!signal.active) state.clearSince = at;
  // a recurrence starts now; a first incident starts at the signal's first occurrence
  const firstSeenAt =
    base > 0 || !signal.firstAt ? at : earlier(at, signal.firstAt);
  return {
    action: 'open',
    state,
    occurrences: occurrencesOf(state),
    firstSeenAt,
    lastSeenAt: at,
  };
}

/** Keeps the newest counters (bounded evidence); active ones are never dropped. */
function limitCounters(
  counters: Record<string, IncidentCounter>,
  max: number,
): Record<string, IncidentCounter> {
  const entries = Object.entries(counters);
  if (entries.length <= max) return counters;
  entries.sort(
    ([, a], [, b]) =>
      Number(b.active) - Number(a.active) || ms(b.at) - ms(a.at),
  );
  return Object.fromEntries(entries.slice(0, max));
}

/**
 * Marks every counter of a pod as gone (the pod was deleted); returns the new state, or undefined
 * when nothing changed.
 *
 * @public
 */
export function markPodGone(
  view: IncidentLifecycleView,
  podUid: string,
  at: string,
): IncidentState | undefined {
  let changed = false;
  const counters: Record<string, IncidentCounter> = {};
  for (const [key, c] of Object.entries(view.state.counters)) {
    if (c.pod === podUid && !c.gone) {
      counters[key] = { ...c, active: false, gone: true };
      changed = true;
    } else {
      counters[key] = c;
    }
  }
  if (!changed) return undefined;
  const state: IncidentState = { counters };
  if (!anyActive(state)) {
    state.clearSince = anyActive(view.state)
      ? later(view.lastSeenAt, at)
      : view.state.clearSince ?? view.lastSeenAt;
  }
  return state;
}

/**
 * Marks counters of a pod that no longer show the condition (the pod was observed and raised no
 * signal for them) as inactive; undefined when nothing changed.
 *
 * @public
 */
export function markCleared(
  view: IncidentLifecycleView,
  podUid: string,
  stillActive: ReadonlySet<string>,
  at: string,
): IncidentState | undefined {
  let changed = false;
  const counters: Record<string, IncidentCounter> = {};
  for (const [key, c] of Object.entries(view.state.counters)) {
    if (c.pod === podUid && c.active && !stillActive.has(key)) {
      counters[key] = { ...c, active: false };
      changed = true;
    } else {
      counters[key] = c;
    }
  }
  if (!changed) return undefined;
  const state: IncidentState = { counters };
  if (!anyActive(state)) state.clearSince = later(view.lastSeenAt, at);
  return state;
}

/**
 * Whether an open incident resolves: its condition has been clear for `clearAfterSeconds`, or
 * (`subjectGone`) the object it is about no longer exists. Returns the resolution time: the
 * moment the clear period ended, so a late sweep does not stretch the incident.
 *
 * @public
 */
export function resolution(
  view: IncidentLifecycleView,
  now: Date,
  config: IncidentLifecycleConfig,
  subjectGone?: string,
): string | undefined {
  if (view.status !== 'open') return undefined;
  if (subjectGone) return later(view.lastSeenAt, subjectGone);
  if (anyActive(view.state)) return undefined;
  const clearFrom = later(
    view.lastSeenAt,
    view.state.clearSince ?? view.lastSeenAt,
  );
  const due = ms(clearFrom) + config.clearAfterSeconds * 1000;
  return now.getTime() >= due ? new Date(due).toISOString() : undefined;
}
