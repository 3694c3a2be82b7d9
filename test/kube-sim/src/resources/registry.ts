import { KubeObject } from '../types';

/** One served resource (what discovery lists and the router resolves). */
export interface ResourceType {
  group: string; // '' for core
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Subresources served, e.g. ['log', 'status'] for pods. */
  subresources?: string[];
  /**
   * Storage id shared by several served views (events.k8s.io/v1 events are a view of
   * core/v1 events, as in the real apiserver). Defaults to `${group}/${plural}`.
   */
  storage?: string;
  /** Converts a stored object to this view (only for view resources). */
  toView?: (o: KubeObject) => KubeObject;
  /** Converts a view object to the stored form (only for view resources). */
  fromView?: (o: KubeObject) => KubeObject;
  /** Custom resource (served unstructured: list items keep apiVersion/kind). */
  custom?: boolean;
  /** Field selector labels the real server accepts, beyond metadata.name/namespace. */
  fieldLabels?: Record<string, string>;
}

export const VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

export function storageId(t: ResourceType): string {
  return t.storage ?? `${t.group || 'core'}/${t.plural}`;
}

export function groupVersion(t: { group: string; version: string }): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

const eventFieldLabels: Record<string, string> = {
  'involvedObject.kind': 'involvedObject.kind',
  'involvedObject.namespace': 'involvedObject.namespace',
  'involvedObject.name': 'involvedObject.name',
  'involvedObject.uid': 'involvedObject.uid',
  'involvedObject.apiVersion': 'involvedObject.apiVersion',
  'involvedObject.resourceVersion': 'involvedObject.resourceVersion',
  'involvedObject.fieldPath': 'involvedObject.fieldPath',
  reason: 'reason',
  reportingComponent: 'reportingComponent',
  source: 'source.component',
  type: 'type',
};

/** events.k8s.io/v1 is served from core/v1 storage; these map the two shapes. */
export function coreEventToEventsV1(e: KubeObject): KubeObject {
  const out: KubeObject = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: e.metadata,
    eventTime: e.eventTime ?? null,
    reason: e.reason,
    regarding: e.involvedObject,
    note: e.message,
    type: e.type,
    reportingController: e.reportingComponent || e.source?.component || '',
    reportingInstance: e.reportingInstance || e.source?.host || '',
    action: e.action,
  };
  if (e.related) out.related = e.related;
  if (e.series) out.series = e.series;
  if (e.count !== undefined && !e.series) out.deprecatedCount = e.count;
  if (e.firstTimestamp) out.deprecatedFirstTimestamp = e.firstTimestamp;
  if (e.lastTimestamp) out.deprecatedLastTimestamp = e.lastTimestamp;
  if (e.source) out.deprecatedSource = e.source;
  return out;
}

export function eventsV1ToCoreEvent(e: KubeObject): KubeObject {
  const out: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: e.metadata,
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    type: e.type,
    eventTime: e.eventTime ?? null,
    reportingComponent: e.reportingController ?? '',
    reportingInstance: e.reportingInstance ?? '',
    action: e.action,
    source: e.deprecatedSource ?? { component: e.reportingController },
  };
  if (e.series) out.series = e.series;
  if (e.related) out.related = e.related;
  if (e.deprecatedCount !== undefined) out.count = e.deprecatedCount;
  if (e.deprecatedFirstTimestamp)
    out.firstTimestamp = e.deprecatedFirstTimestamp;
  if (e.deprecatedLastTimestamp) out.lastTimestamp = e.deprecatedLastTimestamp;
  return out;
}

function rt(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    version,
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    ...extra,
  };
}

/** The built-in kinds the simulator serves. */
export function builtinResources(): ResourceType[] {
  return [
    rt('', 'v1', 'Namespace', 'namespaces', false, {
      shortNames: ['ns'],
      subresources: ['status'],
      fieldLabels: { 'status.phase': 'status.phase' },
    }),
    rt('', 'v1', 'Node', 'nodes', false, {
      shortNames: ['no'],
      subresources: ['status'],
      fieldLabels: { 'spec.unschedulable': 'spec.unschedulable' },
    }),
    rt('', 'v1', 'Pod', 'pods', true, {
      shortNames: ['po'],
      categories: ['all'],
      subresources: ['log', 'status'],
      fieldLabels: {
        'spec.nodeName': 'spec.nodeName',
        'spec.restartPolicy': 'spec.restartPolicy',
        'spec.schedulerName': 'spec.schedulerName',
        'spec.serviceAccountName': 'spec.serviceAccountName',
        'spec.hostNetwork': 'spec.hostNetwork',
        'status.phase': 'status.phase',
        'status.podIP': 'status.podIP',
        'status.nominatedNodeName': 'status.nominatedNodeName',
      },
    }),
    rt('', 'v1', 'Event', 'events', true, {
      shortNames: ['ev'],
      fieldLabels: eventFieldLabels,
    }),
    rt('', 'v1', 'Service', 'services', true, {
      shortNames: ['svc'],
      categories: ['all'],
      subresources: ['status'],
    }),
    rt('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
    rt('', 'v1', 'LimitRange', 'limitranges', true, { shortNames: ['limits'] }),
    rt('', 'v1', 'ResourceQuota', 'resourcequotas', true, {
      shortNames: ['quota'],
      subresources: ['status'],
    }),
    rt('events.k8s.io', 'v1', 'Event', 'events', true, {
      shortNames: ['ev'],
      storage: 'core/events',
      toView: coreEventToEventsV1,
      fromView: eventsV1ToCoreEvent,
      fieldLabels: {
        'regarding.kind': 'involvedObject.kind',
        'regarding.namespace': 'involvedObject.namespace',
        'regarding.name': 'involvedObject.name',
        'regarding.uid': 'involvedObject.uid',
        'regarding.apiVersion': 'involvedObject.apiVersion',
        'regarding.resourceVersion': 'involvedObject.resourceVersion',
        'regarding.fieldPath': 'involvedObject.fieldPath',
        reason: 'reason',
        reportingController: 'reportingComponent',
        type: 'type',
        // the real server accepts the core labels here too
        ...eventFieldLabels,
      },
    }),
    rt('apps', 'v1', 'Deployment', 'deployments', true, {
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: ['status', 'scale'],
    }),
    rt('apps', 'v1', 'ReplicaSet', 'replicasets', true, {
      shortNames: ['rs'],
      categories: ['all'],
      subresources: ['status', 'scale'],
    }),
    rt('apps', 'v1', 'StatefulSet', 'statefulsets', true, {
      shortNames: ['sts'],
      categories: ['all'],
      subresources: ['status', 'scale'],
    }),
    rt('apps', 'v1', 'DaemonSet', 'daemonsets', true, {
      shortNames: ['ds'],
      categories: ['all'],
      subresources: ['status'],
    }),
    rt('batch', 'v1', 'Job', 'jobs', true, {
      categories: ['all'],
      subresources: ['status'],
      fieldLabels: { 'status.successful': 'status.successful' },
    }),
    rt('batch', 'v1', 'CronJob', 'cronjobs', true, {
      shortNames: ['cj'],
      categories: ['all'],
      subresources: ['status'],
    }),
    rt('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, {
      shortNames: ['ing'],
      subresources: ['status'],
    }),
    rt(
      'autoscaling',
      'v2',
      'HorizontalPodAutoscaler',
      'horizontalpodautoscalers',
      true,
      {
        shortNames: ['hpa'],
        categories: ['all'],
        subresources: ['status'],
      },
    ),
    rt('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true),
    rt(
      'apiextensions.k8s.io',
      'v1',
      'CustomResourceDefinition',
      'customresourcedefinitions',
      false,
      { shortNames: ['crd', 'crds'], subresources: ['status'] },
    ),
  ];
}

/** Resolves served resources by URL segments and by apiVersion/kind. */
export class ResourceRegistry {
  private readonly types: ResourceType[] = [];

  constructor(initial: ResourceType[] = builtinResources()) {
    for (const t of initial) this.add(t);
  }

  add(t: ResourceType) {
    this.remove(t.group, t.version, t.plural);
    this.types.push(t);
  }

  remove(group: string, version: string, plural: string) {
    const i = this.types.findIndex(
      x => x.group === group && x.version === version && x.plural === plural,
    );
    if (i >= 0) this.types.splice(i, 1);
  }

  all(): ResourceType[] {
    return [...this.types];
  }

  byPath(
    group: string,
    version: string,
    plural: string,
  ): ResourceType | undefined {
    return this.types.find(
      t => t.group === group && t.version === version && t.plural === plural,
    );
  }

  /** The storage resource for an object's apiVersion + kind (views resolve to storage). */
  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/')
      ? apiVersion.split('/')
      : ['', apiVersion];
    const t = this.types.find(
      x => x.group === group && x.version === version && x.kind === kind,
    );
    return t;
  }

  /** Storage types: every resource except views. */
  storageTypes(): ResourceType[] {
    return this.types.filter(t => !t.toView);
  }

  groups(): Array<{ name: string; versions: string[] }> {
    const out = new Map<string, string[]>();
    for (const t of this.types) {
      if (!t.group) continue;
      const versions = out.get(t.group) ?? [];
      if (!versions.includes(t.version)) versions.push(t.version);
      out.set(t.group, versions);
    }
    return [...out].map(([name, versions]) => ({ name, versions }));
  }

  /** Registers the served versions of a CustomResourceDefinition. */
  addCrd(crd: KubeObject) {
    const spec = crd.spec ?? {};
    for (const v of spec.versions ?? []) {
      if (v.served === false) continue;
      this.add({
        group: spec.group,
        version: v.name,
        kind: spec.names.kind,
        listKind: spec.names.listKind ?? `${spec.names.kind}List`,
        plural: spec.names.plural,
        singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
        namespaced: spec.scope !== 'Cluster',
        shortNames: spec.names.shortNames,
        categories: spec.names.categories,
        subresources: v.subresources?.status ? ['status'] : undefined,
        custom: true,
        // every served version shares one storage, as etcd does
        storage: `${spec.group}/${spec.names.plural}`,
      });
    }
  }

  removeCrd(crd: KubeObject) {
    const spec = crd.spec ?? {};
    for (const v of spec.versions ?? []) {
      this.remove(spec.group, v.name, spec.names.plural);
    }
  }
}
