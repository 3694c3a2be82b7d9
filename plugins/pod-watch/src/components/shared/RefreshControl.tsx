import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import PauseIcon from '@material-ui/icons/Pause';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import RefreshIcon from '@material-ui/icons/Refresh';
import { useEffect, useState } from 'react';
import { formatAge, formatDuration } from './format';

/** Shows when data was loaded and lets the user pause auto-refresh (e.g. while reading). */
export function RefreshControl(props: {
  intervalMs: number;
  updatedAt?: Date;
  paused: boolean;
  setPaused(paused: boolean): void;
  refresh(): void;
}) {
  const { intervalMs, updatedAt, paused, setPaused, refresh } = props;
  // re-render every few seconds so "updated … ago" stays true
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick(n => n + 1), 5000);
    return () => clearInterval(t);
  }, []);
  const every = formatDuration(intervalMs);
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center' }}>
      <Typography variant="body2" color="textSecondary" role="status">
        {paused ? 'Auto-refresh paused' : `Refreshes every ${every}`}
        {updatedAt
          ? ` · updated ${formatAge(updatedAt.toISOString())} ago`
          : ''}
      </Typography>
      <Tooltip title={paused ? 'Resume auto-refresh' : 'Pause auto-refresh'}>
        <IconButton
          size="small"
          aria-label={paused ? 'Resume auto-refresh' : 'Pause auto-refresh'}
          aria-pressed={paused}
          onClick={() => setPaused(!paused)}
        >
          {paused ? <PlayArrowIcon /> : <PauseIcon />}
        </IconButton>
      </Tooltip>
      <Tooltip title="Refresh now">
        <IconButton size="small" aria-label="Refresh now" onClick={refresh}>
          <RefreshIcon />
        </IconButton>
      </Tooltip>
    </span>
  );
}
