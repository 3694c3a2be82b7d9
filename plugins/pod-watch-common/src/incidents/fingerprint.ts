import type { V1Pod } from '@kubernetes/client-node';
import type { IncidentSubject, IncidentType } from './types';
import { isContainerScoped } from './rules';
import { hash53 } from '../logs/fingerprint';

/** The store keeps fingerprints up to 128 characters; longer keys keep a prefix plus a hash. */
const MAX_FINGERPRINT = 128;

/**
 * The workload a pod belongs to, from its controller reference: a ReplicaSet created by a
 * Deployment (recognised by the `pod-template-hash` suffix) stands for its Deployment; a pod
 * without a controller is its own subject. Pure: needs no lookup of the owners.
 *
 * @public
 */
export function podSubject(cluster: string, pod: V1Pod): IncidentSubject {
  const meta = pod.metadata ?? {};
  const namespace = meta.namespace ?? 'default';
  const owner =
    meta.ownerReferences?.find(r => r.controller) ?? meta.ownerReferences?.[0];
  if (!owner) {
    return { cluster, namespace, kind: 'Pod', name: meta.name ?? '' };
  }
  const hash = meta.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) {
    return {
      cluster,
      namespace,
      kind: 'Deployment',
      name: owner.name.slice(0, -(hash.length + 1)),
    };
  }
  return { cluster, namespace, kind: owner.kind, name: owner.name };
}

/**
 * Grouping key of an incident: one open incident per (cluster, namespace, workload or standalone
 * pod, container, type). Pod- and workload-level types ignore the container.
 *
 * @public
 */
export function incidentFingerprint(
  subject: IncidentSubject,
  type: IncidentType,
  container?: string,
): string {
  const c = isContainerScoped(type) ? container ?? '' : '';
  // '|' cannot occur in Kubernetes names, so the key is unambiguous
  const key = [
    type,
    subject.cluster,
    subject.namespace,
    `${subject.kind}/${subject.name}`,
    c,
  ].join('|');
  if (key.length <= MAX_FINGERPRINT) return key;
  const digest = hash53(key).toString(16).padStart(14, '0');
  return `${key.slice(0, MAX_FINGERPRINT - digest.length - 1)}#${digest}`;
}
