import { KubeObject } from '../types';
import { ResourceType } from '../resources/registry';

/** Does the client ask for server-side printing (`kubectl get` without -o)? */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept);
}

function age(created: string | undefined, nowMs: number): string {
  if (!created) return '<unknown>';
  const s = Math.max(0, Math.floor((nowMs - Date.parse(created)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/** kubectl's STATUS column, condensed from the printer in kubernetes/pkg/printers. */
export function podStatusColumn(pod: KubeObject): string {
  const st = pod.status ?? {};
  let reason: string = st.reason || st.phase || 'Unknown';
  const inits = st.initContainerStatuses ?? [];
  let initializing = false;
  inits.forEach((c: any, i: number) => {
    if (initializing) return;
    const term = c.state?.terminated;
    if (term && term.exitCode === 0) return;
    if (term) {
      if (term.reason) reason = `Init:${term.reason}`;
      else if (term.signal) reason = `Init:Signal:${term.signal}`;
      else reason = `Init:ExitCode:${term.exitCode}`;
      initializing = true;
    } else if (
      c.state?.waiting?.reason &&
      c.state.waiting.reason !== 'PodInitializing'
    ) {
      reason = `Init:${c.state.waiting.reason}`;
      initializing = true;
    } else if (!c.ready) {
      reason = `Init:${i}/${(pod.spec?.initContainers ?? []).length}`;
      initializing = true;
    }
  });
  if (!initializing) {
    let hasRunning = false;
    const cs = [...(st.containerStatuses ?? [])].reverse();
    for (const c of cs) {
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
      else if (c.state?.terminated)
        reason = c.state.terminated.signal
          ? `Signal:${c.state.terminated.signal}`
          : `ExitCode:${c.state.terminated.exitCode}`;
      else if (c.ready && c.state?.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      reason = (st.conditions ?? []).some(
        (c: any) => c.type === 'Ready' && c.status === 'True',
      )
        ? 'Running'
        : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp)
    reason = st.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

function podRow(pod: KubeObject, nowMs: number) {
  const cs = pod.status?.containerStatuses ?? [];
  const total = (pod.spec?.containers ?? []).length;
  const ready = cs.filter((c: any) => c.ready).length;
  const restarts = cs.reduce(
    (a: number, c: any) => a + (c.restartCount ?? 0),
    0,
  );
  return [
    pod.metadata.name,
    `${ready}/${total}`,
    podStatusColumn(pod),
    restarts,
    age(pod.metadata.creationTimestamp, nowMs),
    pod.status?.podIP ?? '<none>',
    pod.spec?.nodeName ?? '<none>',
  ];
}

function col(name: string, type: string, priority = 0, format = '') {
  return {
    name,
    type,
    format,
    description: name,
    priority,
  };
}

type Columns = {
  defs: ReturnType<typeof col>[];
  cells: (o: KubeObject, nowMs: number) => unknown[];
};

/** Server-side columns for the kinds people look at most (others: NAME, AGE). */
function columnsFor(type: ResourceType): Columns | undefined {
  const key = `${type.group}/${type.kind}`;
  switch (key) {
    case '/Pod':
      return {
        defs: [
          col('Name', 'string', 0, 'name'),
          col('Ready', 'string'),
          col('Status', 'string'),
          col('Restarts', 'string'),
          col('Age', 'string'),
          col('IP', 'string', 1),
          col('Node', 'string', 1),
        ],
        cells: podRow,
      };
    case '/Event':
    case 'events.k8s.io/Event':
      return {
        defs: [
          col('Last Seen', 'string'),
          col('Type', 'string'),
          col('Reason', 'string'),
          col('Object', 'string'),
          col('Message', 'string'),
        ],
        cells: (e, now) => {
          const last =
            e.series?.lastObservedTime ??
            e.lastTimestamp ??
            e.eventTime ??
            e.metadata.creationTimestamp;
          const n = e.series?.count ?? e.count ?? 1;
          return [
            `${age(last, now)}${
              n > 1
                ? ` (x${n} over ${age(
                    e.firstTimestamp ??
                      e.eventTime ??
                      e.metadata.creationTimestamp,
                    now,
                  )})`
                : ''
            }`,
            e.type,
            e.reason,
            `${String(e.involvedObject?.kind ?? '').toLowerCase()}/${
              e.involvedObject?.name
            }`,
            e.message,
          ];
        },
      };
    case 'apps/Deployment':
      return {
        defs: [
          col('Name', 'string', 0, 'name'),
          col('Ready', 'string'),
          col('Up-to-date', 'integer'),
          col('Available', 'integer'),
          col('Age', 'string'),
        ],
        cells: (d, now) => [
          d.metadata.name,
          `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
          d.status?.updatedReplicas ?? 0,
          d.status?.availableReplicas ?? 0,
          age(d.metadata.creationTimestamp, now),
        ],
      };
    case 'apps/StatefulSet':
      return {
        defs: [
          col('Name', 'string', 0, 'name'),
          col('Ready', 'string'),
          col('Age', 'string'),
        ],
        cells: (o, now) => [
          o.metadata.name,
          `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
          age(o.metadata.creationTimestamp, now),
        ],
      };
    case 'apps/DaemonSet':
      return {
        defs: [
          col('Name', 'string', 0, 'name'),
          col('Desired', 'integer'),
          col('Current', 'integer'),
          col('Ready', 'integer'),
          col('Up-to-date', 'integer'),
          col('Available', 'integer'),
          col('Age', 'string'),
        ],
        cells: (o, now) => [
          o.metadata.name,
          o.status?.desiredNumberScheduled ?? 0,
          o.status?.currentNumberScheduled ?? 0,
          o.status?.numberReady ?? 0,
          o.status?.updatedNumberScheduled ?? 0,
          o.status?.numberAvailable ?? 0,
          age(o.metadata.creationTimestamp, now),
        ],
      };
    case 'apps/ReplicaSet':
      return {
        defs: [
          col('Name', 'string', 0, 'name'),
          col('Desired', 'integer'),
          col('Current', 'integer'),
          col('Ready', 'integer'),
          col('Age', 'string'),
        ],
        cells: (r, now) => [
          r.metadata.name,
          r.spec?.replicas ?? 0,
          r.status?.replicas ?? 0,
          r.status?.readyReplicas ?? 0,
          age(r.metadata.creationTimestamp, now),
        ],
      };
    case '/Node':
      return {
        defs: [
          col('Name', 'string', 0, 'name'),
          col('Status', 'string'),
          col('Roles', 'string'),
          col('Age', 'string'),
          col('Version', 'string'),
        ],
        cells: (n, now) => {
          const ready = (n.status?.conditions ?? []).find(
            (c: any) => c.type === 'Ready',
          );
          const st = ready?.status === 'True' ? 'Ready' : 'NotReady';
          return [
            n.metadata.name,
            n.spec?.unschedulable ? `${st},SchedulingDisabled` : st,
            '<none>',
            age(n.metadata.creationTimestamp, now),
            n.status?.nodeInfo?.kubeletVersion ?? '',
          ];
        },
      };
    case 'batch/Job':
      return {
        defs: [
          col('Name', 'string', 0, 'name'),
          col('Status', 'string'),
          col('Completions', 'string'),
          col('Age', 'string'),
        ],
        cells: (j, now) => {
          const conds = j.status?.conditions ?? [];
          const has = (condType: string) =>
            conds.some((c: any) => c.type === condType && c.status === 'True');
          let st = 'Running';
          if (has('Complete')) st = 'Complete';
          else if (has('Failed')) st = 'Failed';
          return [
            j.metadata.name,
            st,
            `${j.status?.succeeded ?? 0}/${j.spec?.completions ?? 1}`,
            age(j.metadata.creationTimestamp, now),
          ];
        },
      };
    default:
      return undefined;
  }
}

export function tableFor(
  type: ResourceType,
  items: KubeObject[],
  nowMs: number,
  meta: Record<string, unknown>,
  withColumns = true,
) {
  const cols: Columns = columnsFor(type) ?? {
    defs: [col('Name', 'string', 0, 'name'), col('Age', 'string')],
    cells: (o, now) => [
      o.metadata.name,
      age(o.metadata.creationTimestamp, now),
    ],
  };
  const columnDefinitions = cols.defs;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    ...(withColumns ? { columnDefinitions } : {}),
    rows: items.map(o => ({
      cells: cols.cells(o, nowMs),
      object: {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: o.metadata,
      },
    })),
  };
}
