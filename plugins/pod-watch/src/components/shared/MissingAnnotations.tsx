import { EmptyState } from '@backstage/core-components';
import { KUBERNETES_ANNOTATION } from '@backstage/plugin-kubernetes-common';

const MISSING_ANNOTATION_HELP = `metadata:
  annotations:
    ${KUBERNETES_ANNOTATION}: <the value of your pods' ${KUBERNETES_ANNOTATION} label>`;

/** What an entity without Kubernetes annotations needs, shown instead of empty tables. */
export function MissingAnnotations() {
  return (
    <EmptyState
      missing="field"
      title="No Kubernetes workload is linked to this entity"
      description="Pod Watch finds pods with the same annotations as Backstage's Kubernetes plugin. Add one to this entity's catalog-info.yaml:"
      action={<pre>{MISSING_ANNOTATION_HELP}</pre>}
    />
  );
}
