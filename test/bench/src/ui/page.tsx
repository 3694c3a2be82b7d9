/**
 * Browser entry of the UI benchmark (bundled by bundle.ts): mounts one real Pod Watch tab, with
 * the real API client talking to the bench backend, inside the providers the plugin's own tests
 * use, and records in `window.uiBench` when the tab's data is on screen.
 */
import { Entity } from '@backstage/catalog-model';
import { FetchApi } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, wrapInTestApp } from '@backstage/test-utils';
import { podWatchApiRef, PodWatchClient } from '@pod-watch/plugin-pod-watch';
// a bundled page that mounts itself, not a library handing React to a host app
// eslint-disable-next-line @backstage/no-undeclared-imports
import { createRoot } from 'react-dom/client';
/* eslint-disable @backstage/no-relative-monorepo-imports -- the tabs' components are not
   exported (the plugin exports routable extensions, which need a whole app's routing), and
   bundling the whole app is too slow for a benchmark run */
import { EntityPodHealthContent } from '../../../../plugins/pod-watch/src/components/EntityPodHealthContent';
import { EntityPodLogsContent } from '../../../../plugins/pod-watch/src/components/EntityPodLogsContent';
/* eslint-enable @backstage/no-relative-monorepo-imports */
import { untilPainted } from './probe';

/** What the benchmark asks of one page load (set by the server in the HTML). */
export interface PageConfig {
  tab: 'pods' | 'logs';
  entity: Entity;
  token: string;
  /** pod rows (pods tab) or log entries (logs tab) the tab must show */
  expect: number;
  /** logs tab: also scroll the list to its end */
  scroll: boolean;
}

/** What the page reports; times are ms since navigation start (performance.now()). */
export interface PageResult {
  mountAt: number;
  readyAt: number;
  /** duration of the tab's data request(s), from Resource Timing */
  apiMs: number;
  /** logs tab with `scroll`: from setting scrollTop to the last row painted */
  scrollMs?: number;
  /** longest main-thread task while the tab refreshes the same data ("Refresh now") */
  refreshLongestTaskMs: number;
  error?: string;
}

declare global {
  interface Window {
    uiBenchConfig: PageConfig;
    uiBench?: PageResult;
  }
}

function podsReady(expect: number) {
  const rows = document.querySelectorAll('[data-testid="pod-row"]');
  // attention-sorted: a failing pod first when there is one
  return (
    rows.length === expect && rows[0].getAttribute('data-health') === 'failing'
  );
}

function logList(expect: number) {
  return document.querySelector<HTMLElement>(
    `[role="list"][aria-label="Log lines (${expect})"]`,
  );
}

function lastRowShown(list: HTMLElement) {
  const inner = list.firstElementChild as HTMLElement | null;
  const last = inner?.lastElementChild as HTMLElement | null;
  if (!inner || !last) return false;
  return last.offsetTop + last.offsetHeight >= inner.offsetHeight - 1;
}

const requests = (path: string) =>
  performance
    .getEntriesByType('resource')
    .filter(e => e.name.includes(`/api/pod-watch/${path}`));

const apiMs = (path: string) =>
  requests(path).reduce((max, e) => Math.max(max, e.duration), 0);

/**
 * What a poll costs the page: the tab refetches unchanged data and re-renders; the longest task
 * is how long a click or keystroke during a refresh would wait.
 */
async function refreshLongestTask(path: string): Promise<number> {
  const tasks: PerformanceEntry[] = [];
  const observer = new PerformanceObserver(list =>
    tasks.push(...list.getEntries()),
  );
  observer.observe({ type: 'longtask' });
  const before = requests(path).length;
  const start = performance.now();
  document
    .querySelector<HTMLButtonElement>('button[aria-label="Refresh now"]')!
    .click();
  while (requests(path).length === before)
    await new Promise(r => setTimeout(r, 10));
  // the response is parsed and rendered after it arrives; then the observer reports late
  await new Promise(r => setTimeout(r, 300));
  await untilPainted(() => true);
  tasks.push(...observer.takeRecords());
  observer.disconnect();
  return tasks
    .filter(t => t.startTime >= start)
    .reduce((max, t) => Math.max(max, t.duration), 0);
}

async function run(config: PageConfig) {
  const fetchApi: FetchApi = {
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...init?.headers, authorization: `Bearer ${config.token}` },
      }),
  };
  const client = new PodWatchClient({
    discoveryApi: {
      getBaseUrl: async pluginId => `${location.origin}/api/${pluginId}`,
    },
    fetchApi,
  });
  const Tab =
    config.tab === 'pods' ? EntityPodHealthContent : EntityPodLogsContent;
  const root = document.getElementById('root')!;
  const mountAt = performance.now();
  createRoot(root).render(
    wrapInTestApp(
      <TestApiProvider apis={[[podWatchApiRef, client]]}>
        <EntityProvider entity={config.entity}>
          <Tab />
        </EntityProvider>
      </TestApiProvider>,
    ),
  );
  let readyAt: number;
  let scrollMs: number | undefined;
  if (config.tab === 'pods') {
    readyAt = await untilPainted(() => podsReady(config.expect));
  } else {
    readyAt = await untilPainted(() => {
      const list = logList(config.expect);
      return !!list && list.querySelector('[role="listitem"]') !== null;
    });
    if (config.scroll) {
      const list = logList(config.expect)!;
      const start = performance.now();
      list.scrollTop = list.scrollHeight;
      scrollMs = (await untilPainted(() => lastRowShown(list))) - start;
    }
  }
  const refreshLongestTaskMs = await refreshLongestTask(
    config.tab === 'pods' ? 'pods' : 'logs',
  );
  return {
    mountAt,
    readyAt,
    refreshLongestTaskMs,
    apiMs: Math.max(apiMs('pods'), config.tab === 'logs' ? apiMs('logs') : 0),
    scrollMs,
  };
}

run(window.uiBenchConfig).then(
  result => {
    window.uiBench = result;
  },
  error => {
    window.uiBench = {
      mountAt: NaN,
      readyAt: NaN,
      apiMs: NaN,
      refreshLongestTaskMs: NaN,
      error: String(error?.stack ?? error),
    };
  },
);
