import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider } from '@backstage/test-utils';
import type {
  EntityPodsResponse,
  IncidentItem,
  LogEntryItem,
  PodHealth,
  PodItem,
} from '@pod-watch/plugin-pod-watch-common';
import { ReactNode } from 'react';
import { PodWatchApi, podWatchApiRef } from '../api';

const NOW = Date.now();
export const ago = (seconds: number) =>
  new Date(NOW - seconds * 1000).toISOString();

export function entity(
  annotations: Record<string, string> = {
    'backstage.io/kubernetes-id': 'checkout',
  },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

export function pod(
  name: string,
  health: PodHealth,
  extra: Partial<PodItem> = {},
): PodItem {
  return {
    cluster: 'dev',
    namespace: 'shop',
    name,
    uid: `uid-${name}`,
    nodeName: 'node-1',
    status: health === 'failing' ? 'CrashLoopBackOff' : 'Running',
    ready: health === 'healthy' ? '1/1' : '0/1',
    restarts: health === 'failing' ? 5 : 0,
    lastRestartAt: health === 'failing' ? ago(120) : undefined,
    health,
    attention: { failing: 90, healthy: 0 }[health as string] ?? 50,
    topIssue:
      health === 'failing'
        ? {
            reason: 'OOMKilled',
            container: 'app',
            message: 'Killed: memory limit 128Mi',
            severity: 'error',
          }
        : undefined,
    workload: { kind: 'Deployment', name: 'checkout' },
    labels: {},
    createdAt: ago(3600),
    firstSeenAt: ago(3600),
    lastSeenAt: ago(10),
    ...extra,
  };
}

const ZERO: Record<PodHealth, number> = {
  failing: 0,
  degraded: 0,
  initializing: 0,
  healthy: 0,
  completed: 0,
  terminating: 0,
  unknown: 0,
};

export function podsResponse(
  pods: PodItem[],
  extra: Partial<EntityPodsResponse> = {},
): EntityPodsResponse {
  const counts = { ...ZERO };
  for (const p of pods) counts[p.health]++;
  return {
    entityRef: 'component:default/checkout',
    selector: { labelSelector: 'backstage.io/kubernetes-id=checkout' },
    pods,
    total: pods.length,
    counts,
    health: pods[0]?.health ?? 'healthy',
    workloads: [
      {
        cluster: 'dev',
        namespace: 'shop',
        kind: 'Deployment',
        name: 'checkout',
        health: 'failing',
        attention: 90,
        pods: pods.length,
        counts,
        replicas: { desired: 3, ready: 2, available: 2 },
      },
    ],
    clusters: [
      { cluster: 'dev', status: 'ok', lastSeenAt: ago(20), kinds: [] },
    ],
    ...extra,
  };
}

let nextId = 1;
export function logEntry(
  level: LogEntryItem['level'],
  lines: string[] | string,
  extra: Partial<LogEntryItem> = {},
): LogEntryItem {
  const ls = Array.isArray(lines) ? lines : [lines];
  return {
    id: nextId++,
    at: ago(60),
    level,
    exception: ls.length > 1,
    lines: ls,
    cluster: 'dev',
    namespace: 'shop',
    pod: 'checkout-a',
    podUid: 'uid-checkout-a',
    container: 'app',
    instance: 0,
    source: 'live',
    ...extra,
  };
}

export function incident(
  id: number,
  extra: Partial<IncidentItem> = {},
): IncidentItem {
  return {
    id,
    type: 'oom-killed',
    severity: 'high',
    status: 'open',
    entityRef: 'component:default/checkout',
    cluster: 'dev',
    namespace: 'shop',
    workloadKind: 'Deployment',
    workloadName: 'checkout',
    podName: 'checkout-a',
    podUid: 'uid-checkout-a',
    container: 'app',
    summary: 'Container app was OOMKilled 3 times',
    rootCauseHint: 'Memory limit 128Mi is too low',
    occurrences: 3,
    firstSeenAt: ago(7200),
    lastSeenAt: ago(60),
    openedAt: ago(7200),
    ...extra,
  };
}

/** A fake PodWatchApi: every method rejects unless overridden, so a test states what it relies on. */
export function fakeApi(overrides: Partial<PodWatchApi> = {}): PodWatchApi {
  const missing = (name: string) => () =>
    Promise.reject(new Error(`${name} not faked`));
  return {
    getHealth: missing('getHealth'),
    getEntityPods: missing('getEntityPods'),
    getPodDetail: missing('getPodDetail'),
    getLogs: missing('getLogs'),
    downloadLogs: missing('downloadLogs'),
    getIncidents: missing('getIncidents'),
    getIncident: missing('getIncident'),
    ...overrides,
  } as PodWatchApi;
}

export function Providers(props: {
  api: PodWatchApi;
  entity?: Entity;
  children: ReactNode;
}) {
  return (
    <TestApiProvider apis={[[podWatchApiRef, props.api]]}>
      <EntityProvider entity={props.entity ?? entity()}>
        {props.children}
      </EntityProvider>
    </TestApiProvider>
  );
}
