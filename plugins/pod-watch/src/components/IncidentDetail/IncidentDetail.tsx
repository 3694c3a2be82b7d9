import {
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import type {
  HistoryItem,
  IncidentDetailResponse,
} from '@pod-watch/plugin-pod-watch-common';
import { ReactNode } from 'react';
import { useIncident } from '../../hooks';
import { EventsTable } from '../PodDetailDrawer';
import {
  formatAge,
  formatTime,
  incidentDuration,
  incidentSubject,
  incidentTypeLabel,
} from '../shared';
import { capturedLogs, EvidenceLogLine, servingImpact } from './evidence';

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

function Logs(props: { lines: EvidenceLogLine[] }) {
  if (props.lines.length === 0) {
    return (
      <Typography color="textSecondary">
        No log lines were captured for this incident.
      </Typography>
    );
  }
  return (
    <pre
      aria-label="Captured logs"
      // a scrollable region must be reachable by keyboard
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
      style={{
        maxHeight: 320,
        overflow: 'auto',
        fontSize: 12,
        background: 'rgba(127,127,127,0.1)',
        padding: 8,
      }}
    >
      {props.lines
        .map(
          l =>
            `${l.at} ${l.pod}/${l.container}${
              l.source === 'previous' ? ` #${l.instance} (previous)` : ''
            } ${l.level.toUpperCase()} ${l.text}`,
        )
        .join('\n')}
    </pre>
  );
}

function Changes(props: { changes: HistoryItem[] }) {
  if (props.changes.length === 0) {
    return (
      <Typography color="textSecondary">
        No change to the workload was recorded in the hour before.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Changes before the incident">
      <TableHead>
        <TableRow>
          <TableCell style={NOWRAP}>When</TableCell>
          <TableCell style={NOWRAP}>Change</TableCell>
          <TableCell style={NOWRAP}>Diff</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.changes.map(c => (
          <TableRow key={c.id}>
            <TableCell title={formatTime(c.at)}>
              {formatAge(c.at)} ago
            </TableCell>
            <TableCell>{`${c.verb} ${c.kind}/${c.name}`}</TableCell>
            <TableCell>
              <code style={{ fontSize: 11, whiteSpace: 'pre-wrap' }}>
                {c.diff ? JSON.stringify(c.diff).slice(0, 400) : '—'}
              </code>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Serving(props: { evidence: unknown }) {
  const services = servingImpact(props.evidence);
  if (services.length === 0) {
    return (
      <Typography color="textSecondary">
        The pod was behind no Service: no serving impact recorded.
      </Typography>
    );
  }
  return (
    <ul>
      {services.map(s => (
        <li key={s.service}>
          <Typography variant="body2">
            {`Service ${s.service}: ${s.readyEndpoints} of ${s.totalEndpoints} endpoints ready`}
            {s.podReady === false ? '; this pod was not serving' : ''}
            {s.lostReadyEndpoints ? ' (capacity reduced)' : ''}
          </Typography>
        </li>
      ))}
    </ul>
  );
}

/** The detail body: what happened, how long, how often, and the evidence around it. */
export function IncidentDetailBody(props: { detail: IncidentDetailResponse }) {
  const { incident, events, logs, changes, evidence } = props.detail;
  // lines read from the store around the incident; fall back to what the builder captured
  const lines: EvidenceLogLine[] = logs.length
    ? logs.map(l => ({
        at: l.at,
        pod: l.pod,
        container: l.container,
        instance: l.instance,
        source: l.source,
        level: l.level,
        text: l.text,
      }))
    : capturedLogs(evidence);
  return (
    <>
      <Typography variant="body1" gutterBottom>
        {incident.summary}
      </Typography>
      {incident.rootCauseHint && (
        <Paper
          variant="outlined"
          style={{ padding: 12, margin: '12px 0' }}
          role="note"
          aria-label="Root-cause hint"
        >
          <Typography variant="subtitle2">Likely cause</Typography>
          <Typography variant="body2">{incident.rootCauseHint}</Typography>
        </Paper>
      )}
      <StructuredMetadataTable
        metadata={{
          Status: incident.status,
          Severity: incident.severity,
          Where: `${incident.cluster ?? '—'} / ${
            incident.namespace ?? '—'
          } · ${incidentSubject(incident)}`,
          Opened: formatTime(incident.openedAt),
          Resolved: incident.resolvedAt
            ? formatTime(incident.resolvedAt)
            : 'still open',
          Duration: incidentDuration(incident),
          Occurrences: incident.occurrences,
          Recurrence: incident.recurrenceOf
            ? `recurs incident #${incident.recurrenceOf}`
            : 'first occurrence',
        }}
      />
      <Section title="Events">
        <EventsTable events={events} label="Incident Events" />
      </Section>
      <Section title="Captured logs">
        <Logs lines={lines} />
      </Section>
      <Section title="Changes before">
        <Changes changes={changes} />
      </Section>
      <Section title="Serving impact">
        <Serving evidence={evidence} />
      </Section>
    </>
  );
}

/** One incident with its evidence, in a side drawer. */
export function IncidentDetail(props: { id?: number; onClose(): void }) {
  const { id, onClose } = props;
  const detail = useIncident(id);
  const incident = detail.value?.incident;
  return (
    <Drawer anchor="right" open={id !== undefined} onClose={onClose}>
      <div
        style={{ width: 'min(760px, 100vw)', padding: 24 }}
        role="region"
        aria-label={`Incident ${id ?? ''}`}
      >
        <div
          style={{
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
          }}
        >
          <Typography variant="h5" component="h2">
            {incident
              ? `${incidentTypeLabel(incident.type)} · #${incident.id}`
              : `Incident #${id ?? ''}`}
          </Typography>
          <IconButton aria-label="Close incident details" onClick={onClose}>
            <CloseIcon />
          </IconButton>
        </div>
        {detail.loading && <Progress />}
        {detail.error && <ResponseErrorPanel error={detail.error} />}
        {detail.value && <IncidentDetailBody detail={detail.value} />}
      </div>
    </Drawer>
  );
}
