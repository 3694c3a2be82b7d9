import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import {
  HEALTH_EXPLANATIONS,
  POD_WATCH_ENTITY_TABS,
  POD_HEALTH_ORDER,
} from '@pod-watch/plugin-pod-watch-common';
import { useEntityPods, useEntityRef, useIncidents } from '../../hooks';
import {
  ClusterSyncStrip,
  formatAge,
  HealthStatus,
  incidentTypeLabel,
  MissingAnnotations,
} from '../shared';

const OPEN_SHOWN = 5;

/** Overview card: the entity's pod health and its open incidents, linking to the tabs. @public */
export function EntityPodWatchCard(props: { refreshIntervalMs?: number }) {
  const { refreshIntervalMs } = props;
  const { entity, entityRef, annotated } = useEntityRef();
  // the card shows counts only: they cover every pod whatever the limit
  const pods = useEntityPods(
    entityRef,
    { limit: 1 },
    refreshIntervalMs,
    annotated,
  );
  const incidents = useIncidents(
    { entityRef, status: ['open'], limit: OPEN_SHOWN },
    annotated ? refreshIntervalMs : 0,
  );
  const entityLink = useRouteRef(entityRouteRef);
  const base = entityLink(entityRouteParams(entity));

  if (!annotated) {
    return (
      <InfoCard title="Pod Watch">
        <MissingAnnotations />
      </InfoCard>
    );
  }

  const data = pods.value;
  const counts = data
    ? POD_HEALTH_ORDER.filter(h => data.counts[h] > 0)
        .map(
          h =>
            `${data.counts[h]} ${HEALTH_EXPLANATIONS[
              h
            ].label.toLocaleLowerCase()}`,
        )
        .join(' · ')
    : '';

  return (
    <InfoCard
      title="Pod Watch"
      deepLink={{
        title: 'View pods',
        link: `${base}/${POD_WATCH_ENTITY_TABS.pods}`,
      }}
    >
      {pods.loading && <Progress />}
      {!data && pods.error && <ResponseErrorPanel error={pods.error} />}
      {data && (
        <>
          {data.total > 0 && (
            <Typography
              variant="subtitle1"
              component="div"
              aria-label="Overall health"
            >
              <HealthStatus health={data.health} />
            </Typography>
          )}
          <Typography variant="body2" gutterBottom>
            {data.total === 0
              ? 'No pods found yet.'
              : `${data.total} pod${data.total === 1 ? '' : 's'}: ${counts}`}
          </Typography>
          <ClusterSyncStrip clusters={data.clusters} />
        </>
      )}
      <Typography variant="h6" component="h3" style={{ marginTop: 16 }}>
        Open incidents{incidents.value ? ` (${incidents.value.total})` : ''}
      </Typography>
      {incidents.loading && <Progress />}
      {!incidents.value && incidents.error && (
        <ResponseErrorPanel error={incidents.error} />
      )}
      {incidents.value?.items.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No open incidents.
        </Typography>
      )}
      {incidents.value && incidents.value.items.length > 0 && (
        <List dense aria-label="Open incidents">
          {incidents.value.items.map(i => (
            <ListItem key={i.id} disableGutters>
              <ListItemText
                primary={`${incidentTypeLabel(i.type)} · ${i.severity}`}
                secondary={`${i.summary} (opened ${formatAge(i.openedAt)} ago)`}
              />
            </ListItem>
          ))}
        </List>
      )}
      <Link to={`${base}/${POD_WATCH_ENTITY_TABS.incidents}`}>
        All incidents
      </Link>
    </InfoCard>
  );
}
