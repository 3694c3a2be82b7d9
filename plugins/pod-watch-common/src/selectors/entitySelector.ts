import {
  matchesLabelSelector,
  parseLabelSelector,
  type LabelRequirement,
} from './labelSelector';

/**
 * The catalog annotations Backstage's Kubernetes plugin reads; Pod Watch reads the same ones so
 * an entity shows the same pods in both tabs.
 *
 * @public
 */
export const KUBERNETES_ANNOTATIONS = {
  id: 'backstage.io/kubernetes-id',
  labelSelector: 'backstage.io/kubernetes-label-selector',
  namespace: 'backstage.io/kubernetes-namespace',
  cluster: 'backstage.io/kubernetes-cluster',
} as const;

/**
 * The part of a catalog entity the selector needs.
 *
 * @public
 */
export interface EntityLike {
  metadata: { name: string; annotations?: Record<string, string> };
}

/**
 * Which pods belong to an entity.
 *
 * @public
 */
export interface EntityWorkloadSelector {
  /** The selector string, e.g. `backstage.io/kubernetes-id=checkout`. */
  labelSelector: string;
  requirements: LabelRequirement[];
  /** Only this namespace, when annotated. */
  namespace?: string;
  /** Only this cluster, when annotated. */
  cluster?: string;
}

/**
 * Whether the entity carries one of the annotations that enable the Kubernetes tab.
 *
 * @public
 */
export function hasKubernetesAnnotations(entity: EntityLike): boolean {
  const a = entity.metadata.annotations ?? {};
  return Boolean(
    a[KUBERNETES_ANNOTATIONS.id] || a[KUBERNETES_ANNOTATIONS.labelSelector],
  );
}

/**
 * The entity's selector, exactly as Backstage's Kubernetes backend builds it: the
 * `kubernetes-label-selector` annotation if set, else `backstage.io/kubernetes-id=<id>` where the
 * id is the `kubernetes-id` annotation or the entity name; plus the optional namespace and
 * cluster restrictions. Throws LabelSelectorSyntaxError for an invalid selector annotation.
 *
 * @public
 */
export function entityWorkloadSelector(
  entity: EntityLike,
): EntityWorkloadSelector {
  const a = entity.metadata.annotations ?? {};
  const id = a[KUBERNETES_ANNOTATIONS.id] || entity.metadata.name;
  const labelSelector =
    a[KUBERNETES_ANNOTATIONS.labelSelector] ||
    `${KUBERNETES_ANNOTATIONS.id}=${id}`;
  const out: EntityWorkloadSelector = {
    labelSelector,
    requirements: parseLabelSelector(labelSelector),
  };
  if (a[KUBERNETES_ANNOTATIONS.namespace])
    out.namespace = a[KUBERNETES_ANNOTATIONS.namespace];
  if (a[KUBERNETES_ANNOTATIONS.cluster])
    out.cluster = a[KUBERNETES_ANNOTATIONS.cluster];
  return out;
}

/**
 * Whether an object (pod, workload) in a cluster belongs to the entity's selector.
 *
 * @public
 */
export function selectorMatches(
  selector: EntityWorkloadSelector,
  object: {
    cluster: string;
    namespace?: string;
    labels?: Record<string, string>;
  },
): boolean {
  if (selector.cluster !== undefined && selector.cluster !== object.cluster)
    return false;
  if (
    selector.namespace !== undefined &&
    selector.namespace !== object.namespace
  )
    return false;
  return matchesLabelSelector(selector.requirements, object.labels);
}
