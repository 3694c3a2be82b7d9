import IconButton from '@material-ui/core/IconButton';
import { makeStyles } from '@material-ui/core/styles';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type {
  LogEntryItem,
  LogLevel,
} from '@pod-watch/plugin-pod-watch-common';
import { memo } from 'react';
import { Highlight } from '../shared';

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    alignItems: 'flex-start',
    fontFamily: 'monospace',
    fontSize: 12,
    whiteSpace: 'pre',
    boxSizing: 'border-box',
    borderLeft: '3px solid transparent',
    paddingRight: theme.spacing(1),
  },
  error: {
    borderLeftColor: theme.palette.error.main,
    background:
      theme.palette.type === 'dark'
        ? 'rgba(244,67,54,0.12)'
        : 'rgba(244,67,54,0.06)',
  },
  warning: { borderLeftColor: theme.palette.warning.main },
  info: {},
  debug: { color: theme.palette.text.secondary },
  unknown: {},
  toggle: { width: 20, flex: '0 0 20px', padding: 0 },
  time: {
    color: theme.palette.text.secondary,
    marginRight: theme.spacing(1),
    flex: '0 0 auto',
  },
  level: {
    width: 56,
    flex: '0 0 56px',
    fontWeight: 'bold',
    textTransform: 'uppercase',
  },
  levelerror: { color: theme.palette.error.main },
  levelwarning: {
    color:
      theme.palette.type === 'dark'
        ? theme.palette.warning.light
        : theme.palette.warning.dark,
  },
  source: {
    color: theme.palette.text.secondary,
    marginRight: theme.spacing(1),
    flex: '0 0 auto',
  },
  text: { flex: '1 0 auto' },
}));

/** One log entry; a folded exception shows its first line and expands to all of them. */
export const LogLine = memo(function LogLineRow(props: {
  entry: LogEntryItem;
  expanded: boolean;
  onToggle(id: number): void;
  query?: string;
  lineHeight: number;
  showSource: boolean;
}) {
  const { entry, expanded, onToggle, query, lineHeight, showSource } = props;
  const classes = useStyles();
  const foldable = entry.lines.length > 1;
  const shown = foldable && !expanded ? entry.lines.slice(0, 1) : entry.lines;
  const level: LogLevel = entry.level;
  return (
    <div
      role="listitem"
      data-level={level}
      data-exception={entry.exception ? 'true' : undefined}
      className={`${classes.row} ${classes[level] ?? ''}`}
      style={{ lineHeight: `${lineHeight}px` }}
    >
      <span className={classes.toggle}>
        {foldable ? (
          <IconButton
            size="small"
            className={classes.toggle}
            aria-expanded={expanded}
            aria-label={`${expanded ? 'Fold' : 'Expand'} exception (${
              entry.lines.length
            } lines)`}
            onClick={() => onToggle(entry.id)}
            style={{ height: lineHeight }}
          >
            {expanded ? (
              <ExpandMoreIcon fontSize="small" />
            ) : (
              <ChevronRightIcon fontSize="small" />
            )}
          </IconButton>
        ) : null}
      </span>
      <span className={classes.time} title={entry.at}>
        {new Date(entry.at).toLocaleTimeString()}
      </span>
      <span
        className={`${classes.level} ${
          (classes as Record<string, string>)[`level${level}`] ?? ''
        }`}
      >
        {level === 'unknown' ? '' : level}
      </span>
      {showSource ? (
        <span className={classes.source}>
          {entry.pod}/{entry.container}
          {entry.source === 'previous' ? ` #${entry.instance}` : ''}
        </span>
      ) : null}
      <span className={classes.text}>
        {shown.map((line, i) => (
          <div key={i}>
            <Highlight text={line} query={query} />
            {foldable && !expanded && i === 0 ? (
              <span style={{ opacity: 0.7 }}>{`  … +${
                entry.lines.length - 1
              } lines`}</span>
            ) : null}
          </div>
        ))}
      </span>
    </div>
  );
});
