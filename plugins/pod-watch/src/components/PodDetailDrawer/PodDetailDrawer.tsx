import {
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import type {
  ContainerItem,
  EventItem,
  LogEntryItem,
  PodItem,
  ServingItem,
} from '@pod-watch/plugin-pod-watch-common';
import { ReactNode } from 'react';
import { usePodDetail } from '../../hooks';
import { formatAge, formatTime, HealthStatus } from '../shared';

/** Column headers must not wrap mid-word in narrow drawers. */
const NOWRAP = { whiteSpace: 'nowrap' } as const;

function Section(props: { title: string; children: ReactNode }) {
  return (
    <section style={{ marginTop: 24 }}>
      <Typography variant="h6" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </section>
  );
}

function Containers(props: { containers: ContainerItem[] }) {
  return (
    <Table size="small" aria-label="Containers">
      <TableHead>
        <TableRow>
          <TableCell style={NOWRAP}>Container</TableCell>
          <TableCell style={NOWRAP}>State</TableCell>
          <TableCell style={NOWRAP}>Ready</TableCell>
          <TableCell style={NOWRAP}>Restarts</TableCell>
          <TableCell style={NOWRAP}>Last termination</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.containers.map(c => (
          <TableRow key={`${c.type}/${c.name}`}>
            <TableCell>
              {c.name}
              {c.type !== 'app' ? ` (${c.type})` : ''}
              <Typography
                variant="caption"
                display="block"
                color="textSecondary"
              >
                {c.image}
              </Typography>
            </TableCell>
            <TableCell>
              {c.state}
              {c.reason ? `: ${c.reason}` : ''}
              {c.since ? ` · ${formatAge(c.since)}` : ''}
              {c.message ? (
                <Typography
                  variant="caption"
                  display="block"
                  color="textSecondary"
                >
                  {c.message}
                </Typography>
              ) : null}
            </TableCell>
            <TableCell>{c.ready ? 'yes' : 'no'}</TableCell>
            <TableCell>{c.restarts}</TableCell>
            <TableCell>
              {c.lastTermination
                ? `${c.lastTermination.reason ?? 'Terminated'}${
                    c.lastTermination.exitCode !== undefined
                      ? ` (exit ${c.lastTermination.exitCode})`
                      : ''
                  }${
                    c.lastTermination.finishedAt
                      ? ` · ${formatAge(c.lastTermination.finishedAt)} ago`
                      : ''
                  }`
                : '—'}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Events with their counts, newest first. */
export function EventsTable(props: { events: EventItem[]; label?: string }) {
  if (props.events.length === 0) {
    return <Typography color="textSecondary">No Events recorded.</Typography>;
  }
  return (
    <Table size="small" aria-label={props.label ?? 'Events'}>
      <TableHead>
        <TableRow>
          <TableCell style={NOWRAP}>Type</TableCell>
          <TableCell style={NOWRAP}>Reason</TableCell>
          <TableCell style={NOWRAP}>Message</TableCell>
          <TableCell style={NOWRAP}>Count</TableCell>
          <TableCell style={NOWRAP}>Last seen</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.events.map(e => (
          <TableRow key={e.id}>
            <TableCell>{e.type ?? '—'}</TableCell>
            <TableCell>{e.reason ?? '—'}</TableCell>
            <TableCell>{e.message}</TableCell>
            <TableCell>{e.count}</TableCell>
            <TableCell title={formatTime(e.lastAt)}>
              {formatAge(e.lastAt)} ago
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function yesNo(value: boolean | undefined): string {
  if (value === undefined) return '—';
  return value ? 'yes' : 'no';
}

function Serving(props: { serving: ServingItem[] }) {
  if (props.serving.length === 0) {
    return (
      <Typography color="textSecondary">
        Behind no Service (no EndpointSlice lists this pod).
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Serving status">
      <TableHead>
        <TableRow>
          <TableCell style={NOWRAP}>Service</TableCell>
          <TableCell style={NOWRAP}>Address</TableCell>
          <TableCell style={NOWRAP}>Ready</TableCell>
          <TableCell style={NOWRAP}>Serving</TableCell>
          <TableCell style={NOWRAP}>Terminating</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.serving.map(s => (
          <TableRow key={`${s.slice}/${s.ip}`}>
            <TableCell>{s.service}</TableCell>
            <TableCell>{s.ip}</TableCell>
            <TableCell>{yesNo(s.ready)}</TableCell>
            <TableCell>{yesNo(s.serving)}</TableCell>
            <TableCell>{s.terminating ? 'yes' : 'no'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function PreviousLogs(props: { entries?: LogEntryItem[] }) {
  const { entries } = props;
  if (!entries)
    return (
      <Typography color="textSecondary">Logs are not available.</Typography>
    );
  if (entries.length === 0) {
    return (
      <Typography color="textSecondary">
        No previous-container logs captured (no restart yet).
      </Typography>
    );
  }
  // the API returns newest first; a crash reads top to bottom
  const lines = [...entries]
    .reverse()
    .flatMap(e =>
      e.lines.map(
        (l, i) => `${i === 0 ? `[${e.container}#${e.instance}] ` : '    '}${l}`,
      ),
    );
  return (
    // a scrollable region must be reachable by keyboard
    <pre
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
      aria-label="Previous container logs"
      style={{
        maxHeight: 320,
        overflow: 'auto',
        fontSize: 12,
        background: 'rgba(127,127,127,0.1)',
        padding: 8,
      }}
    >
      {lines.join('\n')}
    </pre>
  );
}

/** A pod's containers, Events, serving status and previous-container logs, in a side drawer. */
export function PodDetailDrawer(props: {
  entityRef: string;
  pod?: PodItem;
  onClose(): void;
}) {
  const { entityRef, pod, onClose } = props;
  const detail = usePodDetail(entityRef, pod);
  const d = detail.value?.detail;
  return (
    <Drawer anchor="right" open={!!pod} onClose={onClose}>
      <div
        style={{ width: 'min(720px, 100vw)', padding: 24 }}
        role="region"
        aria-label={pod ? `Pod ${pod.name}` : 'Pod'}
      >
        <div
          style={{
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
          }}
        >
          <Typography variant="h5" component="h2">
            {pod?.name}
          </Typography>
          <IconButton aria-label="Close pod details" onClick={onClose}>
            <CloseIcon />
          </IconButton>
        </div>
        {detail.loading && <Progress />}
        {detail.error && <ResponseErrorPanel error={detail.error} />}
        {d && (
          <>
            <StructuredMetadataTable
              metadata={{
                Status: d.pod.status,
                Health: <HealthStatus health={d.pod.health} />,
                Ready: d.pod.ready,
                Restarts: d.pod.restarts,
                'Top issue': d.pod.topIssue
                  ? `${d.pod.topIssue.reason}${
                      d.pod.topIssue.container
                        ? ` (${d.pod.topIssue.container})`
                        : ''
                    }${
                      d.pod.topIssue.message
                        ? `: ${d.pod.topIssue.message}`
                        : ''
                    }`
                  : '—',
                Node: d.pod.nodeName ?? '—',
                'Pod IP': d.pod.podIp ?? '—',
                Cluster: `${d.pod.cluster} / ${d.pod.namespace}`,
                Owners:
                  d.ownerChain.map(o => `${o.kind}/${o.name}`).join(' ← ') ||
                  '—',
                Created: formatTime(d.pod.createdAt),
              }}
            />
            <Section title="Containers">
              <Containers containers={d.containers} />
            </Section>
            <Section title={`Events (${d.eventsTotal})`}>
              <EventsTable events={d.events} label="Pod Events" />
            </Section>
            <Section title="Serving">
              <Serving serving={d.serving} />
            </Section>
            <Section title="Previous container logs">
              <PreviousLogs entries={detail.value?.previousLogs} />
            </Section>
          </>
        )}
      </div>
    </Drawer>
  );
}
