import {
  Content,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { useBackendHealth } from '../../hooks/useBackendHealth';
import {
  KUBERNETES_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION,
} from '@backstage/plugin-kubernetes-common';
import {
  entityWorkloadSelector,
  hasKubernetesAnnotations,
} from '@pod-watch/plugin-pod-watch-common';

const MISSING_ANNOTATION_HELP = `metadata:
  annotations:
    ${KUBERNETES_ANNOTATION}: <the value of your pods' ${KUBERNETES_ANNOTATION} label>`;

/** The "Pod Watch" entity tab. @public */
export function EntityPodWatchContent() {
  const { entity } = useEntity();
  const health = useBackendHealth();

  if (!hasKubernetesAnnotations(entity)) {
    return (
      <EmptyState
        missing="field"
        title="No Kubernetes workload is linked to this entity"
        description="Pod Watch finds pods with the same annotations as Backstage's Kubernetes plugin. Add one to this entity's catalog-info.yaml:"
        action={<pre>{MISSING_ANNOTATION_HELP}</pre>}
      />
    );
  }

  const selector = entityWorkloadSelector(entity);
  const selectedBy = entity.metadata.annotations?.[
    KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION
  ]
    ? KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION
    : KUBERNETES_ANNOTATION;

  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <InfoCard title="Pod Watch">
            <StructuredMetadataTable
              metadata={{
                'Selected by': selectedBy,
                'Pod selector': selector.labelSelector,
              }}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title="Backend">
            {health.loading && <Progress />}
            {health.error && <ResponseErrorPanel error={health.error} />}
            {health.value && (
              <StructuredMetadataTable
                metadata={{
                  Status: health.value.status,
                  Database: health.value.database.status,
                  Version: health.value.version,
                }}
              />
            )}
          </InfoCard>
        </Grid>
      </Grid>
    </Content>
  );
}
