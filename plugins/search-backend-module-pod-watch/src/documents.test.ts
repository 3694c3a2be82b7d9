import type {
  IncidentItem,
  WorkloadRollupItem,
} from '@pod-watch/plugin-pod-watch-common';
import { incidentDocument, workloadDocument } from './documents';

const entity = {
  ref: 'component:default/checkout',
  kind: 'Component',
  namespace: 'default',
  name: 'checkout',
  title: 'Checkout service',
};

const incident: IncidentItem = {
  id: 7,
  type: 'OOMKilled',
  severity: 'error',
  status: 'open',
  cluster: 'prod',
  namespace: 'shop',
  workloadKind: 'Deployment',
  workloadName: 'checkout-api',
  podName: 'checkout-api-7d9-3',
  container: 'app',
  summary: 'container app was OOM-killed (exit 137)',
  rootCauseHint: 'memory limit 128Mi too low?',
  occurrences: 4,
  firstSeenAt: '2026-11-20T09:50:00.000Z',
  lastSeenAt: '2026-11-20T09:59:00.000Z',
  openedAt: '2026-11-20T09:50:00.000Z',
};

describe('incidentDocument', () => {
  it('finds the incident by reason, container, image and message', () => {
    const doc = incidentDocument(entity, incident, ['shop/checkout:1.4.2']);
    expect(doc.title).toBe('OOMKilled in Checkout service (checkout-api)');
    for (const word of [
      'OOMKilled',
      'checkout',
      'app',
      'shop/checkout:1.4.2',
      'exit 137',
      'memory limit',
    ]) {
      expect(doc.text).toContain(word);
    }
    expect(doc.location).toBe(
      '/catalog/default/component/checkout/pod-watch-incidents?incident=7',
    );
    expect(doc.authorization).toEqual({
      resourceRef: 'component:default/checkout',
    });
  });

  it('names the workload only when it differs from the entity', () => {
    const same = incidentDocument(
      { ...entity, title: undefined },
      { ...incident, workloadName: 'checkout' },
    );
    expect(same.title).toBe('OOMKilled in checkout');
    expect(same.images).toBe('');
  });
});

describe('workloadDocument', () => {
  it('carries health, top issue and images', () => {
    const workload: WorkloadRollupItem = {
      cluster: 'prod',
      namespace: 'shop',
      kind: 'StatefulSet',
      name: 'db',
      health: 'degraded',
      attention: 40,
      pods: 2,
      counts: {
        failing: 0,
        degraded: 1,
        initializing: 0,
        healthy: 1,
        completed: 0,
        terminating: 0,
        unknown: 0,
      },
      topIssue: {
        reason: 'Restarted',
        container: 'postgres',
        severity: 'warning',
      },
      images: ['postgres:16'],
    };
    const doc = workloadDocument(entity, workload);
    expect(doc).toMatchObject({
      title: 'StatefulSet db (degraded)',
      health: 'degraded',
      issue: 'Restarted',
      images: 'postgres:16',
      location:
        '/catalog/default/component/checkout/pod-watch?workload=StatefulSet%2Fdb',
    });
    expect(doc.text).toContain('postgres');
  });
});
