import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { WarningPanel } from '@backstage/core-components';
import type { ClusterSyncStatus } from '@pod-watch/plugin-pod-watch-common';
import { formatAge } from './format';

/** Each cluster with the age of its data; stale or failing clusters say so (the data shown is their last). */
export function ClusterSyncStrip(props: { clusters: ClusterSyncStatus[] }) {
  const { clusters } = props;
  if (clusters.length === 0) return null;
  const troubled = clusters.filter(
    c => c.status === 'error' || c.status === 'stale',
  );
  return (
    <div>
      <div
        role="list"
        aria-label="Clusters"
        style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}
      >
        {clusters.map(c => (
          <Tooltip key={c.cluster} title={c.lastError ?? `Sync ${c.status}`}>
            <Chip
              role="listitem"
              size="small"
              variant="outlined"
              color={c.status === 'ok' ? 'default' : 'secondary'}
              label={`${c.cluster} · ${
                c.lastSeenAt
                  ? `collected ${formatAge(c.lastSeenAt)} ago`
                  : 'never collected'
              }${c.status === 'ok' ? '' : ` · ${c.status}`}`}
            />
          </Tooltip>
        ))}
      </div>
      {troubled.map(c => (
        <WarningPanel
          key={c.cluster}
          severity="warning"
          title={`Cluster ${c.cluster} is ${
            c.status === 'error' ? 'unreachable' : 'not up to date'
          }`}
        >
          <Typography variant="body2">
            Cluster <strong>{c.cluster}</strong> is{' '}
            {c.status === 'error' ? 'unreachable' : 'not up to date'}
            {c.lastSeenAt
              ? `: showing its data from ${formatAge(c.lastSeenAt)} ago`
              : ''}
            {c.lastError ? ` (${c.lastError})` : ''}.
          </Typography>
        </WarningPanel>
      ))}
    </div>
  );
}
