import {
  Content,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import TablePagination from '@material-ui/core/TablePagination';
import Typography from '@material-ui/core/Typography';
import type { IncidentsResponse } from '@pod-watch/plugin-pod-watch-common';
import { useMemo, useState } from 'react';
import {
  INCIDENTS_REFRESH_MS,
  PollingState,
  useEntityRef,
  useIncidents,
} from '../../hooks';
import { IncidentDetail } from '../IncidentDetail';
import { IncidentTimeline } from '../IncidentTimeline';
import {
  incidentTypeLabel,
  MissingAnnotations,
  queryParam,
  RefreshControl,
  SelectFilter,
} from '../shared';
import { IncidentTable } from './IncidentTable';

/** The default retention of the backend: the timeline covers it. */
const RETENTION_DAYS = 14;
const DAY = 86_400_000;

/** Loading / error / data of one polled list, so each section says what is wrong with it. */
function Section(props: {
  state: PollingState<IncidentsResponse>;
  empty: string;
  children(data: IncidentsResponse): JSX.Element;
}) {
  const { state, empty, children } = props;
  if (state.loading) return <Progress />;
  if (!state.value)
    return <ResponseErrorPanel error={state.error ?? new Error('No data')} />;
  if (state.value.items.length === 0)
    return <Typography color="textSecondary">{empty}</Typography>;
  return children(state.value);
}

/** The "Incidents" entity tab: open incidents first, then history, with a timeline. @public */
export function EntityIncidentsContent(props: { refreshIntervalMs?: number }) {
  const { refreshIntervalMs = INCIDENTS_REFRESH_MS } = props;
  const { entityRef, annotated } = useEntityRef();
  const [type, setType] = useState<string>();
  const [cluster, setCluster] = useState<string>();
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(10);
  // a search result links here with ?incident=<id>: open it
  const [selected, setSelected] = useState<number | undefined>(() => {
    const id = Number(queryParam('incident'));
    return Number.isInteger(id) && id > 0 ? id : undefined;
  });
  // the window start moves only when the day changes, so polling does not refetch a new query each time
  const windowStart = useMemo(
    () =>
      new Date(Math.floor(Date.now() / DAY) * DAY - (RETENTION_DAYS - 1) * DAY),
    [],
  );
  const filters = { entityRef, type: type ? [type] : undefined, cluster };
  const open = useIncidents(
    { ...filters, status: ['open'], limit: 100 },
    refreshIntervalMs,
  );
  const history = useIncidents(
    {
      ...filters,
      status: ['resolved'],
      limit: pageSize,
      offset: page * pageSize,
    },
    refreshIntervalMs,
  );
  const recent = useIncidents(
    { entityRef, cluster, start: windowStart.toISOString(), limit: 1000 },
    refreshIntervalMs,
  );

  if (!annotated) return <MissingAnnotations />;

  const all = recent.value?.items ?? [];
  const types = [...new Set(all.map(i => i.type))]
    .sort()
    .map(t => ({ value: t, label: incidentTypeLabel(t) }));
  const clusters = [
    ...new Set(all.map(i => i.cluster).filter((c): c is string => !!c)),
  ].sort();
  const timeline = type ? all.filter(i => i.type === type) : all;
  const error = open.error ?? history.error ?? recent.error;
  const refresh = () => {
    open.refresh();
    history.refresh();
    recent.refresh();
  };
  const setPaused = (paused: boolean) => {
    open.setPaused(paused);
    history.setPaused(paused);
    recent.setPaused(paused);
  };

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
            Incidents
          </Typography>
          <RefreshControl
            intervalMs={refreshIntervalMs}
            updatedAt={open.updatedAt}
            paused={open.paused}
            setPaused={setPaused}
            refresh={refresh}
          />
        </Grid>
        {error && (open.value || history.value) && (
          <Grid item xs={12}>
            <WarningPanel
              severity="warning"
              title="Could not refresh: showing the last data loaded"
              message={error.message}
            />
          </Grid>
        )}
        <Grid
          item
          xs={12}
          style={{ display: 'flex', flexWrap: 'wrap', gap: 16 }}
        >
          <SelectFilter
            id="pod-watch-incident-type"
            label="Type"
            value={type}
            options={types}
            allLabel="All types"
            onChange={v => {
              setType(v);
              setPage(0);
            }}
          />
          <SelectFilter
            id="pod-watch-incident-cluster"
            label="Cluster"
            value={cluster}
            options={clusters}
            allLabel="All clusters"
            onChange={v => {
              setCluster(v);
              setPage(0);
            }}
          />
        </Grid>
        {open.value?.total === 0 &&
        history.value?.total === 0 &&
        !type &&
        !cluster ? (
          <Grid item xs={12}>
            <EmptyState
              missing="data"
              title="No incidents"
              description="Pod Watch has not seen a crash, OOM kill, failed pull or other incident for this entity's pods."
            />
          </Grid>
        ) : (
          <>
            <Grid item xs={12}>
              <InfoCard
                title={`Open${open.value ? ` (${open.value.total})` : ''}`}
              >
                <Section state={open} empty="No open incidents.">
                  {data => (
                    <IncidentTable
                      incidents={data.items}
                      label="Open incidents"
                      onSelect={setSelected}
                    />
                  )}
                </Section>
              </InfoCard>
            </Grid>
            <Grid item xs={12}>
              <InfoCard title={`Timeline: last ${RETENTION_DAYS} days`}>
                {recent.loading ? (
                  <Progress />
                ) : (
                  <IncidentTimeline
                    incidents={timeline}
                    start={windowStart}
                    end={new Date()}
                  />
                )}
              </InfoCard>
            </Grid>
            <Grid item xs={12}>
              <InfoCard
                title={`History${
                  history.value ? ` (${history.value.total})` : ''
                }`}
              >
                <Section state={history} empty="No resolved incidents.">
                  {data => (
                    <>
                      <IncidentTable
                        incidents={data.items}
                        label="Resolved incidents"
                        onSelect={setSelected}
                      />
                      <TablePagination
                        component="div"
                        count={data.total}
                        page={page}
                        rowsPerPage={pageSize}
                        rowsPerPageOptions={[10, 25, 50]}
                        onPageChange={(_e, p) => setPage(p)}
                        onRowsPerPageChange={e => {
                          setPageSize(Number(e.target.value));
                          setPage(0);
                        }}
                      />
                    </>
                  )}
                </Section>
              </InfoCard>
            </Grid>
          </>
        )}
      </Grid>
      <IncidentDetail id={selected} onClose={() => setSelected(undefined)} />
    </Content>
  );
}
