/**
 * The Pod Watch backend the UI benchmark's page talks to: the real plugin on a scratch
 * database, a catalog holding the benchmark's entities, Backstage's default (allow-all when
 * permissions are off) permissions and test auth (accepts `mockCredentials.user.token()`).
 */
import type { AddressInfo } from 'node:net';
import { Entity } from '@backstage/catalog-model';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  EntityPodsResponse,
  LogsResponse,
} from '@pod-watch/plugin-pod-watch-common';
import { podWatchPlugin } from '@pod-watch/plugin-pod-watch-backend/src/plugin';
import type { ScratchDatabase } from '../lib/databases';

export { workloadEntity as componentEntity } from '@pod-watch/test-fixtures';

export interface UiBackend {
  /** http://127.0.0.1:<port> */
  url: string;
  /** a user token the backend accepts */
  token: string;
  /** GET a Pod Watch route (e.g. `/logs?…`) as the page's user */
  get<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

export async function startUiBackend(
  db: ScratchDatabase,
  entities: Entity[],
): Promise<UiBackend> {
  const backend = await startTestBackend({
    features: [
      podWatchPlugin,
      mockServices.database.factory({ knex: db.knex }),
      catalogServiceMock.factory({ entities }),
      mockServices.permissions.factory(),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const token = mockCredentials.user.token();
  return {
    url,
    token,
    async get<T>(path: string) {
      const res = await fetch(`${url}/api/pod-watch${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!res.ok)
        throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    stop: () => backend.stop(),
  };
}

/** What the tabs get for an entity, through their own requests (hooks/useEntityPods, usePodLogs). */
export interface ShownByTabs {
  /** pods in the Pod health tab's response, of `total` */
  pods: number;
  total: number;
  /** log entries (folded) and the stored lines they hold in the Logs tab's response */
  entries: number;
  lines: number;
  /** the Logs tab's page is not the last one */
  moreLogs: boolean;
}

export async function shownByTabs(
  backend: UiBackend,
  id: string,
): Promise<ShownByTabs> {
  const entityRef = `component:default/${id}`;
  const [pods, logs] = await Promise.all([
    // as the Pod health tab asks (useEntityPods: ENTITY_PODS_LIMIT)
    backend.get<EntityPodsResponse>(`/pods?entityRef=${entityRef}&limit=5000`),
    backend.get<LogsResponse>(
      `/logs?entityRef=${entityRef}&source=live&fold=true&order=desc&limit=2000`,
    ),
  ]);
  return {
    pods: pods.pods.length,
    total: pods.total,
    entries: logs.items.length,
    lines: logs.items.reduce((n, e) => n + e.lines.length, 0),
    moreLogs: logs.nextCursor !== undefined,
  };
}
