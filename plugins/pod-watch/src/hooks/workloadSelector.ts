import { Entity } from '@backstage/catalog-model';
import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@backstage/plugin-kubernetes-common';

/** How an entity names its pods: the same annotations Backstage's Kubernetes plugin reads. */
export interface WorkloadSelector {
  annotation: string;
  value: string;
  /** The label selector the backend will match pods with. */
  labelSelector: string;
}

/** The entity's pod selector, or undefined when it has no Kubernetes annotation. */
export function workloadSelector(entity: Entity): WorkloadSelector | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const selector = annotations[KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION];
  if (selector) {
    return {
      annotation: KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
      value: selector,
      labelSelector: selector,
    };
  }
  const id = annotations[KUBERNETES_ANNOTATION];
  if (id) {
    return {
      annotation: KUBERNETES_ANNOTATION,
      value: id,
      labelSelector: `${KUBERNETES_ANNOTATION}=${id}`,
    };
  }
  return undefined;
}
