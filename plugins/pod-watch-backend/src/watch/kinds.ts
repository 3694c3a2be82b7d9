import type { CustomResourceKind } from '../clusters/podWatchConfig';

/** One API resource a reflector lists and watches. */
export interface WatchedKind {
  /** id in `podWatch.kinds` and the sync state, e.g. 'pods', 'apps/v1/deployments' style for CRs */
  id: string;
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  /** which handler maps its objects into the store */
  handler:
    | 'pods'
    | 'coreEvents'
    | 'eventsV1'
    | 'workloads'
    | 'endpointSlices'
    | 'customResources';
}

const k = (
  id: string,
  group: string,
  version: string,
  plural: string,
  kind: string,
  handler: WatchedKind['handler'],
): WatchedKind => ({
  id,
  group,
  version,
  plural,
  kind,
  namespaced: true,
  handler,
});

export const BUILTIN_WATCHED_KINDS: Record<string, WatchedKind> = {
  pods: k('pods', '', 'v1', 'pods', 'Pod', 'pods'),
  events: k('events', '', 'v1', 'events', 'Event', 'coreEvents'),
  'events.k8s.io/events': k(
    'events.k8s.io/events',
    'events.k8s.io',
    'v1',
    'events',
    'Event',
    'eventsV1',
  ),
  deployments: k(
    'deployments',
    'apps',
    'v1',
    'deployments',
    'Deployment',
    'workloads',
  ),
  replicasets: k(
    'replicasets',
    'apps',
    'v1',
    'replicasets',
    'ReplicaSet',
    'workloads',
  ),
  statefulsets: k(
    'statefulsets',
    'apps',
    'v1',
    'statefulsets',
    'StatefulSet',
    'workloads',
  ),
  daemonsets: k(
    'daemonsets',
    'apps',
    'v1',
    'daemonsets',
    'DaemonSet',
    'workloads',
  ),
  jobs: k('jobs', 'batch', 'v1', 'jobs', 'Job', 'workloads'),
  endpointslices: k(
    'endpointslices',
    'discovery.k8s.io',
    'v1',
    'endpointslices',
    'EndpointSlice',
    'endpointSlices',
  ),
};

export function customResourceKind(cr: CustomResourceKind): WatchedKind {
  const singular = cr.plural.replace(/(?:ies)$/, 'y').replace(/s$/, '');
  return {
    id: `${cr.group}/${cr.version}/${cr.plural}`,
    group: cr.group,
    version: cr.version,
    plural: cr.plural,
    kind: cr.kind ?? singular.charAt(0).toUpperCase() + singular.slice(1),
    namespaced: cr.namespaced,
    handler: 'customResources',
  };
}

export function apiVersionOf(kind: WatchedKind): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}

/** The collection path, cluster-wide or in one namespace. */
export function collectionPath(kind: WatchedKind, namespace?: string): string {
  const base = kind.group
    ? `/apis/${kind.group}/${kind.version}`
    : `/api/${kind.version}`;
  return namespace && kind.namespaced
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}`
    : `${base}/${kind.plural}`;
}
