import Link from '@material-ui/core/Link';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { PodItem } from '@pod-watch/plugin-pod-watch-common';
import { memo } from 'react';
import { formatAge, HealthStatus, restartRate } from '../shared';
import { PodGroup } from './grouping';

/** Short columns must not wrap mid-word in narrow layouts. */
const NOWRAP = { whiteSpace: 'nowrap' } as const;

function Replicas(props: { group: PodGroup }) {
  const r = props.group.rollup?.replicas;
  if (!r) return null;
  return (
    <Typography variant="body2" color="textSecondary" component="span">
      {` · replicas: ${r.desired} desired / ${r.ready} ready / ${r.available} available`}
    </Typography>
  );
}

function TopIssueCell(props: { pod: PodItem }) {
  const issue = props.pod.topIssue;
  if (!issue) return <>—</>;
  return (
    <>
      <strong>{issue.reason}</strong>
      {issue.container ? ` (${issue.container})` : ''}
      {issue.message ? (
        <Typography variant="caption" display="block" color="textSecondary">
          {issue.message}
        </Typography>
      ) : null}
    </>
  );
}

/**
 * One pod. Memoised on the pod object (a poll with unchanged data keeps it) and the time texts
 * computed by the parent, so a refresh re-renders only the rows whose text changed instead of
 * every row of a large entity.
 */
const PodRow = memo(function PodRowView(props: {
  pod: PodItem;
  onSelect(pod: PodItem): void;
  age: string;
  lastRestart: string | undefined;
}) {
  const { pod, onSelect, age, lastRestart } = props;
  return (
    <TableRow data-testid="pod-row" data-health={pod.health}>
      <TableCell>
        <Link
          component="button"
          variant="body2"
          onClick={() => onSelect(pod)}
          aria-label={`Details of pod ${pod.name}`}
          style={{ textAlign: 'left' }}
        >
          {pod.name}
        </Link>
      </TableCell>
      <TableCell>{pod.status}</TableCell>
      <TableCell style={NOWRAP}>
        <HealthStatus health={pod.health} />
      </TableCell>
      <TableCell>{pod.ready}</TableCell>
      <TableCell>
        {pod.restarts}
        {lastRestart ? (
          <Typography variant="caption" display="block" color="textSecondary">
            {lastRestart}
          </Typography>
        ) : null}
      </TableCell>
      <TableCell title={pod.createdAt}>{age}</TableCell>
      <TableCell>{pod.nodeName ?? '—'}</TableCell>
      <TableCell>
        <TopIssueCell pod={pod} />
      </TableCell>
    </TableRow>
  );
});

/** One workload's pods, most attention first; a pod's name opens its detail drawer. */
export function PodGroupTable(props: {
  group: PodGroup;
  onSelect(pod: PodItem): void;
}) {
  const { group, onSelect } = props;
  const headingId = `pod-group-${group.key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return (
    <Paper variant="outlined" style={{ marginBottom: 16, overflowX: 'auto' }}>
      <div style={{ padding: '12px 16px 0' }}>
        <Typography variant="h6" component="h3" id={headingId}>
          {group.kind} {group.name}
        </Typography>
        <Typography variant="body2" color="textSecondary" component="span">
          {group.cluster} / {group.namespace} · {group.pods.length} pod
          {group.pods.length === 1 ? '' : 's'}
        </Typography>
        <Replicas group={group} />
      </div>
      <Table size="small" aria-labelledby={headingId}>
        <TableHead>
          <TableRow>
            <TableCell style={NOWRAP}>Pod</TableCell>
            <TableCell style={NOWRAP}>Status</TableCell>
            <TableCell style={NOWRAP}>Health</TableCell>
            <TableCell style={NOWRAP}>Ready</TableCell>
            <TableCell style={NOWRAP}>Restarts</TableCell>
            <TableCell style={NOWRAP}>Age</TableCell>
            <TableCell style={NOWRAP}>Node</TableCell>
            <TableCell style={NOWRAP}>Top issue</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {group.pods.map(pod => (
            <PodRow
              key={pod.uid}
              pod={pod}
              onSelect={onSelect}
              age={formatAge(pod.createdAt ?? pod.firstSeenAt)}
              lastRestart={restartRate(pod.restarts, pod.lastRestartAt)}
            />
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
}
