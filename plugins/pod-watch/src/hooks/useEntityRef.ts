import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { hasKubernetesAnnotations } from '@pod-watch/plugin-pod-watch-common';

/** The current entity's ref and whether it links Kubernetes workloads at all. */
export function useEntityRef() {
  const { entity } = useEntity();
  return {
    entity,
    entityRef: stringifyEntityRef(entity),
    annotated: hasKubernetesAnnotations(entity),
  };
}
