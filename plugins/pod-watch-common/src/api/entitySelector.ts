import type { Entity } from '@backstage/catalog-model';
import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@backstage/plugin-kubernetes-common';

/**
 * Namespace restriction read by Backstage's Kubernetes backend (no exported constant there).
 *
 * @public
 */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

/**
 * Cluster restriction read by Backstage's Kubernetes backend service locator.
 *
 * @public
 */
export const KUBERNETES_CLUSTER_ANNOTATION = 'backstage.io/kubernetes-cluster';

export { KUBERNETES_ANNOTATION, KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION };

/**
 * Which pods belong to an entity: the same mapping as Backstage's own Kubernetes tab.
 *
 * @public
 */
export interface EntityWorkloadSelector {
  /** The annotation the selector came from. */
  annotation:
    | typeof KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION
    | typeof KUBERNETES_ANNOTATION;
  /** The annotation's value. */
  value: string;
  /** Kubernetes label selector pods must match. */
  labelSelector: string;
  /** Only pods in this namespace (`backstage.io/kubernetes-namespace`). */
  namespace?: string;
  /** Only pods of this cluster (`backstage.io/kubernetes-cluster`). */
  cluster?: string;
}

function annotation(entity: Entity, key: string): string | undefined {
  const value = entity.metadata.annotations?.[key]?.trim();
  return value ? value : undefined;
}

/**
 * The entity's pod selector, or undefined when it has neither `backstage.io/kubernetes-id` nor
 * `backstage.io/kubernetes-label-selector` (the label selector wins when both are set, as in
 * Backstage's Kubernetes backend).
 *
 * @public
 */
export function entityWorkloadSelector(
  entity: Entity,
): EntityWorkloadSelector | undefined {
  const namespace = annotation(entity, KUBERNETES_NAMESPACE_ANNOTATION);
  const cluster = annotation(entity, KUBERNETES_CLUSTER_ANNOTATION);
  const restrictions = {
    ...(namespace ? { namespace } : {}),
    ...(cluster ? { cluster } : {}),
  };
  const selector = annotation(
    entity,
    KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
  );
  if (selector) {
    return {
      annotation: KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
      value: selector,
      labelSelector: selector,
      ...restrictions,
    };
  }
  const id = annotation(entity, KUBERNETES_ANNOTATION);
  if (id) {
    return {
      annotation: KUBERNETES_ANNOTATION,
      value: id,
      labelSelector: `${KUBERNETES_ANNOTATION}=${id}`,
      ...restrictions,
    };
  }
  return undefined;
}
