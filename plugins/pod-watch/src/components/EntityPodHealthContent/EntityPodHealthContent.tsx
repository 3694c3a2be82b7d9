import {
  Content,
  EmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type {
  EntityPodsResponse,
  PodHealth,
  PodItem,
} from '@pod-watch/plugin-pod-watch-common';
import { useMemo, useState } from 'react';
import { PODS_REFRESH_MS, useEntityPods, useEntityRef } from '../../hooks';
import {
  ClusterSyncStrip,
  MissingAnnotations,
  queryParam,
  RefreshControl,
  SelectFilter,
} from '../shared';
import { PodDetailDrawer } from '../PodDetailDrawer';
import { groupPods, PodGroup } from './grouping';
import { HealthSummary } from './HealthSummary';
import { PodGroupTable } from './PodGroupTable';

function unique(values: string[]) {
  return [...new Set(values)].sort();
}

function PodGroups(props: {
  data: EntityPodsResponse;
  groups: PodGroup[];
  onSelect(pod: PodItem): void;
}) {
  const { data, groups, onSelect } = props;
  if (data.pods.length === 0) {
    const where = data.selector?.namespace
      ? ` in namespace ${data.selector.namespace}`
      : '';
    return (
      <EmptyState
        missing="data"
        title="No pods found"
        description={`No pod matches ${
          data.selector?.labelSelector ?? 'this entity'
        }${where}. Pods appear here once the collector has seen them.`}
      />
    );
  }
  if (groups.length === 0)
    return <Typography>No pod matches the filters.</Typography>;
  return (
    <>
      {groups.map(g => (
        <PodGroupTable key={g.key} group={g} onSelect={onSelect} />
      ))}
    </>
  );
}

/** The "Pod health" entity tab: every pod of the entity, grouped by workload, worst first. @public */
export function EntityPodHealthContent(props: { refreshIntervalMs?: number }) {
  const { refreshIntervalMs = PODS_REFRESH_MS } = props;
  const { entityRef, annotated } = useEntityRef();
  // filtering happens here, not in the request, so counts and filter options stay complete
  const pods = useEntityPods(entityRef, {}, refreshIntervalMs, annotated);
  const [cluster, setCluster] = useState<string>();
  const [namespace, setNamespace] = useState<string>();
  const [health, setHealth] = useState<PodHealth[]>([]);
  const [selected, setSelected] = useState<PodItem>();
  // a search result links here with ?workload=<Kind>/<name>
  const [workload, setWorkload] = useState(() => queryParam('workload'));

  const data = pods.value;
  const groups = useMemo(() => {
    if (!data) return [];
    const wanted = data.pods.filter(
      p =>
        (!cluster || p.cluster === cluster) &&
        (!namespace || p.namespace === namespace) &&
        (health.length === 0 || health.includes(p.health)),
    );
    return groupPods(wanted, data.workloads).filter(
      g => !workload || `${g.kind}/${g.name}` === workload,
    );
  }, [data, cluster, namespace, health, workload]);

  if (!annotated) return <MissingAnnotations />;
  if (pods.loading) return <Progress />;
  if (!data) {
    return <ResponseErrorPanel error={pods.error ?? new Error('No data')} />;
  }

  const toggleHealth = (h: PodHealth) =>
    setHealth(hs => (hs.includes(h) ? hs.filter(x => x !== h) : [...hs, h]));
  const clusters = unique([
    ...data.clusters.map(c => c.cluster),
    ...data.pods.map(p => p.cluster),
  ]);
  const namespaces = unique(data.pods.map(p => p.namespace));

  return (
    <Content>
      <Grid container spacing={2}>
        <Grid
          item
          xs={12}
          style={{
            display: 'flex',
            flexWrap: 'wrap',
            justifyContent: 'space-between',
            gap: 8,
          }}
        >
          <Typography variant="h5" component="h2">
            Pod health
          </Typography>
          <RefreshControl intervalMs={refreshIntervalMs} {...pods} />
        </Grid>
        {pods.error && (
          <Grid item xs={12}>
            <WarningPanel
              severity="warning"
              title="Could not refresh: showing the last data loaded"
              message={pods.error.message}
            />
          </Grid>
        )}
        <Grid item xs={12}>
          <HealthSummary
            counts={data.counts}
            selected={health}
            onToggle={toggleHealth}
          />
        </Grid>
        <Grid item xs={12}>
          <ClusterSyncStrip clusters={data.clusters} />
        </Grid>
        <Grid
          item
          xs={12}
          style={{ display: 'flex', flexWrap: 'wrap', gap: 16 }}
        >
          <SelectFilter
            id="pod-watch-cluster"
            label="Cluster"
            value={cluster}
            options={clusters}
            onChange={setCluster}
          />
          <SelectFilter
            id="pod-watch-namespace"
            label="Namespace"
            value={namespace}
            options={namespaces}
            onChange={setNamespace}
          />
          {workload && (
            <Chip
              label={`Workload: ${workload}`}
              onDelete={() => setWorkload(undefined)}
              aria-label={`Showing workload ${workload} only; remove to show all`}
            />
          )}
        </Grid>
        <Grid item xs={12}>
          {data.pods.length < data.total && (
            <Typography variant="caption" color="textSecondary" component="p">
              {`Showing the ${data.pods.length} pods that need attention most, of ${data.total}.`}
            </Typography>
          )}
          <PodGroups data={data} groups={groups} onSelect={setSelected} />
        </Grid>
      </Grid>
      <PodDetailDrawer
        entityRef={entityRef}
        pod={selected}
        onClose={() => setSelected(undefined)}
      />
    </Content>
  );
}
