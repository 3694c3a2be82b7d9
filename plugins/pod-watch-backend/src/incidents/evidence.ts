import {
  redactSecrets,
  type EvidenceChange,
  type EvidenceEvent,
  type EvidenceLogLine,
  type EvidenceService,
  type HintContext,
  type IncidentEvidence,
  type IncidentSignal,
  type IncidentState,
  type IncidentSubject,
} from '@pod-watch/plugin-pod-watch-common';

export type { IncidentEvidence };
import type { EventRow, LogLineRow, PodWatchStore } from '../store';

const MAX_EVENTS = 20;
const MAX_ERROR_LINES = 20;
const MAX_TAIL = 10;
const MAX_CHANGES = 5;
const MAX_TEXT = 500;
const MAX_DIFF = 2048;
/** The store keeps 64 kB of evidence; leave room so a grown incident never loses its counters. */
const EVIDENCE_BUDGET = 48 * 1024;

const clip = (text: string | undefined, max = MAX_TEXT) =>
  text && text.length > max ? `${text.slice(0, max - 1)}…` : text;

export function evidenceEvent(e: {
  uid: string;
  type?: string;
  reason?: string;
  message?: string;
  count: number;
  firstAt: string | Date | number;
  lastAt: string | Date | number;
  regarding?: { kind?: string; name?: string; fieldPath?: string };
}): EvidenceEvent {
  const out: EvidenceEvent = {
    uid: e.uid,
    count: e.count,
    firstAt: new Date(e.firstAt).toISOString(),
    lastAt: new Date(e.lastAt).toISOString(),
  };
  if (e.type) out.type = e.type;
  if (e.reason) out.reason = e.reason;
  if (e.message) out.message = clip(redactSecrets(e.message));
  if (e.regarding?.kind)
    out.object = `${e.regarding.kind}/${e.regarding.name ?? ''}`;
  if (e.regarding?.fieldPath) out.fieldPath = e.regarding.fieldPath;
  return out;
}

/** Adds or updates one Event (by uid), keeping the newest MAX_EVENTS. */
export function mergeEvent(
  events: readonly EvidenceEvent[],
  event: EvidenceEvent,
): EvidenceEvent[] {
  const rest = events.filter(e => e.uid !== event.uid);
  return [...rest, event]
    .sort((a, b) => Date.parse(b.lastAt) - Date.parse(a.lastAt))
    .slice(0, MAX_EVENTS);
}

function logLine(l: LogLineRow): EvidenceLogLine {
  return {
    at: l.at,
    pod: l.podName,
    container: l.container,
    instance: l.instance,
    source: l.source,
    level: l.level,
    // the store's writer redacts already; again here because evidence outlives its source
    text: clip(redactSecrets(l.text)) ?? '',
  };
}

const CRASH_TYPES = new Set([
  'crash-loop',
  'oom-killed',
  'init-failure',
  'container-failed',
  'job-failed',
  'liveness-probe',
  'readiness-probe',
  'config-error',
]);

/**
 * Error lines around the failure and the last lines of the failed instance: previous-container
 * captures first (they are the crashed instance), newest instance only.
 */
export async function gatherLogs(
  store: PodWatchStore,
  cluster: string,
  podUid: string,
  signal: IncidentSignal,
): Promise<IncidentEvidence['logs']> {
  const none = { errorLines: [], tail: [] };
  if (!CRASH_TYPES.has(signal.type) || !signal.container) return none;
  const page = await store.listLogs({
    cluster,
    podUids: [podUid],
    container: signal.container,
    limit: 300,
    order: 'desc',
  });
  if (page.items.length === 0) return none;
  const previous = page.items.filter(l => l.source === 'previous');
  const pool = previous.length > 0 ? previous : page.items;
  const instance = Math.max(...pool.map(l => l.instance));
  const lines = pool.filter(l => l.instance === instance).reverse();
  return {
    errorLines: lines
      .filter(l => l.level === 'error' || l.exception)
      .slice(-MAX_ERROR_LINES)
      .map(logLine),
    tail: lines.slice(-MAX_TAIL).map(logLine),
  };
}

async function gatherEvents(
  store: PodWatchStore,
  cluster: string,
  subject: IncidentSubject,
  podUid: string | undefined,
): Promise<EvidenceEvent[]> {
  const [aboutPod, aboutWorkload] = await Promise.all([
    podUid
      ? store.listEvents({
          cluster,
          regardingUids: [podUid],
          limit: MAX_EVENTS,
        })
      : Promise.resolve({ items: [] as EventRow[] }),
    subject.kind !== 'Pod'
      ? store.listEvents({
          cluster,
          namespace: subject.namespace,
          regardingKind: subject.kind,
          regardingName: subject.name,
          limit: 10,
        })
      : Promise.resolve({ items: [] as EventRow[] }),
  ]);
  let events: EvidenceEvent[] = [];
  for (const e of [...aboutWorkload.items, ...aboutPod.items]) {
    events = mergeEvent(events, evidenceEvent(e));
  }
  return events;
}

async function gatherChanges(
  store: PodWatchStore,
  cluster: string,
  subject: IncidentSubject,
  at: Date,
): Promise<EvidenceChange[]> {
  if (subject.kind === 'Pod') return [];
  const page = await store.listHistory({
    cluster,
    namespace: subject.namespace,
    kind: subject.kind,
    name: subject.name,
    until: at,
    limit: MAX_CHANGES,
  });
  return page.items.map(h => {
    const out: EvidenceChange = {
      at: h.at,
      verb: h.verb,
      kind: h.kind,
      name: h.name,
      resourceVersion: h.resourceVersion,
    };
    const diff = h.diff ?? undefined;
    if (diff !== undefined) {
      const json = JSON.stringify(diff);
      out.diff =
        json.length <= MAX_DIFF
          ? diff
          : { truncated: true, bytes: json.length };
    }
    return out;
  });
}

async function gatherServing(
  store: PodWatchStore,
  cluster: string,
  namespace: string,
  podUid: string,
): Promise<EvidenceService[]> {
  const own = await store.listEndpoints({ cluster, podUids: [podUid] });
  const services = [...new Set(own.map(e => e.service))].slice(0, 5);
  return Promise.all(
    services.map(async service => {
      const all = await store.listEndpoints({ cluster, namespace, service });
      const ready = all.filter(e => e.ready !== false).length;
      const mine = own.find(e => e.service === service);
      const out: EvidenceService = {
        service,
        readyEndpoints: ready,
        totalEndpoints: all.length,
        lostReadyEndpoints: ready < all.length,
      };
      if (mine?.ready !== undefined) out.podReady = mine.ready;
      return out;
    }),
  );
}

/** Everything attached when an incident opens. Reads the store only. */
export async function gatherEvidence(
  store: PodWatchStore,
  input: {
    cluster: string;
    subject: IncidentSubject;
    signal: IncidentSignal;
    state: IncidentState;
    at: Date;
    node?: string;
    owner?: { kind: string; name: string };
  },
): Promise<IncidentEvidence> {
  const { cluster, subject, signal, at } = input;
  const podUid = signal.podUid;
  const [events, logs, changes, serving] = await Promise.all([
    gatherEvents(store, cluster, subject, podUid),
    podUid
      ? gatherLogs(store, cluster, podUid, signal)
      : Promise.resolve({ errorLines: [], tail: [] }),
    gatherChanges(store, cluster, subject, at),
    podUid
      ? gatherServing(store, cluster, subject.namespace, podUid)
      : Promise.resolve([]),
  ]);
  const evidence: IncidentEvidence = {
    version: 1,
    state: input.state,
    subject,
    events,
    logs,
    changes,
    serving,
    logAttempts: 1,
  };
  if (input.node) evidence.node = input.node;
  if (input.owner) evidence.owner = input.owner;
  return evidence;
}

/** Hint context from gathered evidence. */
export function hintContext(evidence: IncidentEvidence): HintContext {
  const context: HintContext = {};
  const lines = evidence.logs.errorLines.length ? evidence.logs.errorLines : [];
  if (lines.length) context.errorLines = lines.map(l => l.text);
  if (
    evidence.events.some(
      e => e.reason === 'Killing' && /liveness|startup/i.test(e.message ?? ''),
    )
  ) {
    context.killedByLiveness = true;
  }
  return context;
}

/** Shrinks evidence until it fits the budget: diffs, then logs, then Events go first. */
export function fitEvidence(evidence: IncidentEvidence): IncidentEvidence {
  const size = (e: IncidentEvidence) => JSON.stringify(e).length;
  let e = evidence;
  const steps: Array<(x: IncidentEvidence) => IncidentEvidence> = [
    x => ({ ...x, changes: x.changes.map(({ diff: _d, ...c }) => c) }),
    x => ({
      ...x,
      logs: { errorLines: x.logs.errorLines.slice(-5), tail: [] },
    }),
    x => ({ ...x, events: x.events.slice(0, 5) }),
    x => ({ ...x, logs: { errorLines: [], tail: [] }, events: [] }),
  ];
  for (const step of steps) {
    if (size(e) <= EVIDENCE_BUDGET) return e;
    e = step(e);
  }
  return e;
}
