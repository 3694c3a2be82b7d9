import {
  Content,
  EmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useEffect, useMemo, useState } from 'react';
import { podWatchApiRef } from '../../api';
import {
  LOGS_PAGE_LIMIT,
  LOGS_REFRESH_MS,
  useEntityPods,
  useEntityRef,
  usePodLogs,
} from '../../hooks';
import { LogList } from '../LogList';
import { MissingAnnotations, RefreshControl, SelectFilter } from '../shared';
import { LevelChips } from './LevelChips';
import { levelCounts, LevelChip, matchesLevel } from './levels';

/** Time ranges offered, in seconds (the longest is the default retention). */
const RANGES = [
  { value: '900', label: 'Last 15 minutes' },
  { value: '3600', label: 'Last hour' },
  { value: '21600', label: 'Last 6 hours' },
  { value: '86400', label: 'Last 24 hours' },
  { value: '604800', label: 'Last 7 days' },
  { value: '1209600', label: 'Last 14 days' },
];

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** The "Logs" entity tab: captured logs of the entity's pods, newest first. @public */
export function EntityPodLogsContent(props: {
  refreshIntervalMs?: number;
  listHeight?: number;
}) {
  const { refreshIntervalMs = LOGS_REFRESH_MS, listHeight } = props;
  const { entityRef, annotated } = useEntityRef();
  const api = useApi(podWatchApiRef);
  const alertApi = useApi(alertApiRef);
  // pod choices only; no need to poll them as often as the logs
  const pods = useEntityPods(entityRef, {}, 0, annotated);
  const [podName, setPodName] = useState<string>();
  const [container, setContainer] = useState<string>();
  const [level, setLevel] = useState<LevelChip>('all');
  const [search, setSearch] = useState('');
  const [range, setRange] = useState<string>();
  const [source, setSource] = useState<'live' | 'previous'>('live');
  const q = useDebounced(search.trim(), 300);

  const query = {
    entityRef,
    pod: podName,
    container,
    q: q || undefined,
    source,
  };
  const logs = usePodLogs(
    query,
    range ? Number(range) : undefined,
    refreshIntervalMs,
    annotated,
  );

  const entries = logs.value?.items;
  const counts = useMemo(() => levelCounts(entries ?? []), [entries]);
  const shown = useMemo(
    () => (entries ?? []).filter(e => matchesLevel(e, level)),
    [entries, level],
  );
  const containers = useMemo(
    () =>
      [
        ...new Set(
          (entries ?? [])
            .filter(e => !podName || e.pod === podName)
            .map(e => e.container),
        ),
      ].sort(),
    [entries, podName],
  );

  if (!annotated) return <MissingAnnotations />;

  const download = async () => {
    try {
      const blob = await api.downloadLogs({
        ...query,
        start: range
          ? new Date(Date.now() - Number(range) * 1000).toISOString()
          : undefined,
        level: level === 'all' ? undefined : [level],
      });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${entityRef.replace(/[^A-Za-z0-9._-]/g, '_')}-logs.txt`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      alertApi.post({
        message: `Download failed: ${(e as Error).message}`,
        severity: 'error',
      });
    }
  };

  const podOptions = [
    ...new Set((pods.value?.pods ?? []).map(p => p.name)),
  ].sort();

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
            Logs
          </Typography>
          <span>
            <RefreshControl intervalMs={refreshIntervalMs} {...logs} />
            <Button
              startIcon={<GetAppIcon />}
              onClick={download}
              aria-label="Download logs"
            >
              Download
            </Button>
          </span>
        </Grid>
        <Grid
          item
          xs={12}
          style={{
            display: 'flex',
            flexWrap: 'wrap',
            gap: 16,
            alignItems: 'center',
          }}
        >
          <SelectFilter
            id="pod-watch-logs-pod"
            label="Pod"
            value={podName}
            options={podOptions}
            allLabel="All pods"
            onChange={v => {
              setPodName(v);
              setContainer(undefined);
            }}
          />
          <SelectFilter
            id="pod-watch-logs-container"
            label="Container"
            value={container}
            options={containers}
            allLabel="All containers"
            onChange={setContainer}
          />
          <SelectFilter
            id="pod-watch-logs-range"
            label="Time range"
            value={range}
            options={RANGES}
            allLabel="Everything kept"
            onChange={setRange}
            minWidth={180}
          />
          <ButtonGroup size="small" aria-label="Container instance">
            <Button
              variant={source === 'live' ? 'contained' : 'outlined'}
              aria-pressed={source === 'live'}
              onClick={() => setSource('live')}
            >
              Live
            </Button>
            <Button
              variant={source === 'previous' ? 'contained' : 'outlined'}
              aria-pressed={source === 'previous'}
              onClick={() => setSource('previous')}
            >
              Previous instance
            </Button>
          </ButtonGroup>
          <TextField
            size="small"
            variant="outlined"
            label="Search"
            type="search"
            value={search}
            onChange={e => setSearch(e.target.value)}
            inputProps={{ 'aria-label': 'Search logs' }}
          />
        </Grid>
        <Grid item xs={12}>
          <LevelChips counts={counts} value={level} onChange={setLevel} />
        </Grid>
        {logs.error && entries && (
          <Grid item xs={12}>
            <WarningPanel
              severity="warning"
              title="Could not refresh: showing the last logs loaded"
              message={logs.error.message}
            />
          </Grid>
        )}
        <Grid item xs={12}>
          {logs.loading && <Progress />}
          {!entries && logs.error && <ResponseErrorPanel error={logs.error} />}
          {entries && entries.length === 0 && (
            <EmptyState
              missing="data"
              title="No logs captured"
              description={
                source === 'previous'
                  ? 'No container of these pods has restarted while Pod Watch was collecting, so there is no previous instance.'
                  : 'Nothing matches these filters yet. The collector tails the logs of the entity’s pods on a schedule.'
              }
            />
          )}
          {entries && entries.length > 0 && (
            <>
              <Typography variant="caption" color="textSecondary" component="p">
                {`${shown.length} of ${entries.length} entries, newest first`}
                {/* folded traces make fewer entries than lines: the cursor says more exist */}
                {logs.value?.nextCursor
                  ? ` (from the newest ${LOGS_PAGE_LIMIT} lines; narrow the range or download for more)`
                  : ''}
              </Typography>
              <LogList
                entries={shown}
                query={q}
                height={listHeight}
                showSource={!podName || !container}
              />
            </>
          )}
        </Grid>
      </Grid>
    </Content>
  );
}
