import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import type { IncidentItem } from '@pod-watch/plugin-pod-watch-common';
import {
  formatAge,
  formatTime,
  incidentDuration,
  incidentSubject,
  incidentTypeLabel,
} from '../shared';

/** Column headers must not wrap mid-word in narrow drawers. */
const NOWRAP = { whiteSpace: 'nowrap' } as const;

function Severity(props: { incident: IncidentItem }) {
  const { severity, status } = props.incident;
  if (status === 'resolved')
    return <StatusOK>{`${severity}, resolved`}</StatusOK>;
  if (severity === 'critical' || severity === 'high')
    return <StatusError>{severity}</StatusError>;
  return <StatusWarning>{severity}</StatusWarning>;
}

/** Incidents as a table; an incident's type opens its detail. */
export function IncidentTable(props: {
  incidents: IncidentItem[];
  label: string;
  onSelect(id: number): void;
}) {
  const { incidents, label, onSelect } = props;
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          <TableCell style={NOWRAP}>Incident</TableCell>
          <TableCell style={NOWRAP}>Severity</TableCell>
          <TableCell style={NOWRAP}>Where</TableCell>
          <TableCell style={NOWRAP}>Occurrences</TableCell>
          <TableCell style={NOWRAP}>Opened</TableCell>
          <TableCell style={NOWRAP}>Duration</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {incidents.map(i => (
          <TableRow
            key={i.id}
            data-testid="incident-row"
            data-status={i.status}
          >
            <TableCell>
              <Link
                component="button"
                variant="body2"
                onClick={() => onSelect(i.id)}
                style={{ textAlign: 'left' }}
              >
                <strong>{incidentTypeLabel(i.type)}</strong>
              </Link>
              <Typography
                variant="caption"
                display="block"
                color="textSecondary"
              >
                {i.summary}
              </Typography>
            </TableCell>
            <TableCell>
              <Severity incident={i} />
            </TableCell>
            <TableCell>
              {incidentSubject(i)}
              <Typography
                variant="caption"
                display="block"
                color="textSecondary"
              >
                {i.cluster} / {i.namespace}
              </Typography>
            </TableCell>
            <TableCell>
              {i.occurrences}
              {i.recurrenceOf ? (
                <Typography
                  variant="caption"
                  display="block"
                  color="textSecondary"
                >
                  recurs #{i.recurrenceOf}
                </Typography>
              ) : null}
            </TableCell>
            <TableCell title={formatTime(i.openedAt)}>
              {formatAge(i.openedAt)} ago
            </TableCell>
            <TableCell>
              {incidentDuration(i)}
              {i.status === 'open' ? ' so far' : ''}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
