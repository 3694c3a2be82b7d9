import { useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import type { IncidentItem } from '@pod-watch/plugin-pod-watch-common';
import { formatTime, incidentDuration, incidentTypeLabel } from '../shared';

const DAY = 86_400_000;
const ROW = 22;
const LABEL = 170;
const WIDTH = 900;
const AXIS = 24;

/** Rows of the chart: one per incident type, the most frequent first. */
export function timelineRows(incidents: readonly IncidentItem[]) {
  const byType = new Map<string, IncidentItem[]>();
  for (const i of incidents) {
    const list = byType.get(i.type);
    if (list) list.push(i);
    else byType.set(i.type, [i]);
  }
  return [...byType.entries()]
    .map(([type, items]) => ({ type, items }))
    .sort(
      (a, b) => b.items.length - a.items.length || a.type.localeCompare(b.type),
    );
}

/**
 * Incidents by type over a time window, as plain SVG: one row per type, one bar per incident from
 * opened to resolved (or now). Each bar has a tooltip; the whole chart has a text summary.
 */
export function IncidentTimeline(props: {
  incidents: readonly IncidentItem[];
  start: Date;
  end: Date;
}) {
  const { incidents, start, end } = props;
  const theme = useTheme();
  const rows = timelineRows(incidents);
  const from = start.getTime();
  const to = end.getTime();
  const span = Math.max(1, to - from);
  const plot = WIDTH - LABEL - 8;
  const x = (t: number) =>
    LABEL + ((Math.min(Math.max(t, from), to) - from) / span) * plot;
  const height = AXIS + Math.max(1, rows.length) * ROW + 4;
  const colour: Record<string, string> = {
    critical: theme.palette.error.dark,
    high: theme.palette.error.main,
    medium: theme.palette.warning.main,
    low: theme.palette.info.main,
  };
  const days = Math.round(span / DAY);
  const tickEvery = days > 7 ? 2 : 1;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / DAY) * DAY; t <= to; t += tickEvery * DAY)
    ticks.push(t);
  const summary = `${incidents.length} incident${
    incidents.length === 1 ? '' : 's'
  } of ${rows.length} type${
    rows.length === 1 ? '' : 's'
  } in the last ${days} days${
    rows.length
      ? `: ${rows
          .map(r => `${incidentTypeLabel(r.type)} ${r.items.length}`)
          .join(', ')}`
      : ''
  }`;

  if (incidents.length === 0) {
    return (
      <Typography color="textSecondary">
        No incidents in the last {days} days.
      </Typography>
    );
  }

  return (
    <svg
      role="img"
      aria-label={summary}
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      style={{
        maxWidth: WIDTH,
        fontFamily: theme.typography.fontFamily,
        fontSize: 11,
      }}
    >
      <title>{summary}</title>
      {ticks.map(t => (
        <g key={t}>
          <line
            x1={x(t)}
            x2={x(t)}
            y1={AXIS - 4}
            y2={height}
            stroke={theme.palette.divider}
          />
          <text
            x={x(t)}
            y={AXIS - 8}
            textAnchor="middle"
            fill={theme.palette.text.secondary}
          >
            {new Date(t).toLocaleDateString(undefined, {
              month: 'short',
              day: 'numeric',
            })}
          </text>
        </g>
      ))}
      {rows.map((row, r) => {
        const y = AXIS + r * ROW;
        return (
          <g key={row.type} data-testid="timeline-row">
            <text x={0} y={y + ROW / 2 + 4} fill={theme.palette.text.primary}>
              {`${incidentTypeLabel(row.type)} (${row.items.length})`}
            </text>
            {row.items.map(i => {
              const x0 = x(Date.parse(i.openedAt));
              const x1 = x(i.resolvedAt ? Date.parse(i.resolvedAt) : to);
              return (
                <rect
                  key={i.id}
                  x={x0}
                  y={y + 4}
                  width={Math.max(3, x1 - x0)}
                  height={ROW - 8}
                  rx={2}
                  fill={colour[i.severity] ?? theme.palette.grey[500]}
                  opacity={i.status === 'open' ? 1 : 0.6}
                >
                  <title>
                    {`${incidentTypeLabel(i.type)} (${i.severity}, ${
                      i.status
                    }): ${i.summary}. Opened ${formatTime(
                      i.openedAt,
                    )}, lasted ${incidentDuration(i)}.`}
                  </title>
                </rect>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}
