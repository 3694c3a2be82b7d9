/**
 * A real Backstage test backend with the Pod Watch plugin over HTTP, on a given database: a mock
 * catalog holding `entities`, permissions decided per request, and every log line the backend
 * writes recorded (the security section scans them for cluster credentials).
 */
import {
  coreServices,
  createServiceFactory,
  LoggerService,
  PermissionsService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import podWatchPlugin from '@pod-watch/plugin-pod-watch-backend';
import { Knex } from 'knex';
import { AddressInfo } from 'node:net';

/** A logger that keeps every line (message and metadata, serialised) in memory. */
export class RecordingLogger implements RootLoggerService {
  constructor(
    readonly lines: string[] = [],
    private readonly meta: Record<string, unknown> = {},
  ) {}
  private record(level: string, message: string, meta?: unknown) {
    const extra =
      meta instanceof Error
        ? { error: `${meta.stack ?? meta}` }
        : (meta as object | undefined);
    this.lines.push(
      `${level} ${message} ${JSON.stringify({ ...this.meta, ...extra })}`,
    );
  }
  error(message: string, meta?: Error | object) {
    this.record('error', message, meta);
  }
  warn(message: string, meta?: Error | object) {
    this.record('warn', message, meta);
  }
  info(message: string, meta?: Error | object) {
    this.record('info', message, meta);
  }
  debug(message: string, meta?: Error | object) {
    this.record('debug', message, meta);
  }
  child(meta: Record<string, unknown>): LoggerService {
    return new RecordingLogger(this.lines, { ...this.meta, ...meta });
  }
}

/** Label the test entities select their pods by (`backstage.io/kubernetes-id`). */
export const KUBERNETES_ID = 'backstage.io/kubernetes-id';

/** A catalog Component whose pods carry `backstage.io/kubernetes-id: <name>`, owned by `owner`. */
export { workloadEntity } from '@pod-watch/test-fixtures';

export interface PodWatchBackend {
  baseUrl: string;
  logger: RecordingLogger;
  stop(): Promise<void>;
}

/**
 * Starts the backend. `allow(permission, resourceRef)` decides for users (default: allow);
 * service principals are always allowed, as with Backstage's permission service.
 */
export async function startPodWatchBackend(options: {
  knex: Knex;
  entities: Entity[];
  allow?: (permission: string, resourceRef?: string) => boolean;
  config?: NonNullable<
    Parameters<typeof mockServices.rootConfig.factory>[0]
  >['data'];
  /** replaces the per-request decisions of `allow` (e.g. a policy-backed service) */
  permissions?: PermissionsService;
  features?: Parameters<typeof startTestBackend>[0]['features'];
}): Promise<PodWatchBackend> {
  const logger = new RecordingLogger();
  const allow = options.allow ?? (() => true);
  const isService = (o?: { credentials?: any }) =>
    o?.credentials?.principal?.type === 'service';
  const decide = (ok: boolean) =>
    ok ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
  const authorize: PermissionsService['authorize'] = async (requests, o) =>
    requests.map(r => ({
      result: decide(
        isService(o) ||
          allow(
            r.permission.name,
            'resourceRef' in r ? (r.resourceRef as string) : undefined,
          ),
      ),
    }));
  const authorizeConditional: PermissionsService['authorizeConditional'] =
    async (requests, o) =>
      requests.map(r => ({
        result: decide(isService(o) || allow(r.permission.name)),
      }));
  const backend = await startTestBackend({
    features: [
      podWatchPlugin,
      mockServices.database.factory({ knex: options.knex }),
      catalogServiceMock.factory({ entities: options.entities }),
      // the collection engine is exercised directly by the sections; the backend only serves
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => logger,
      }),
      createServiceFactory({
        service: coreServices.logger,
        deps: { pluginMetadata: coreServices.pluginMetadata },
        factory: ({ pluginMetadata }) =>
          logger.child({ plugin: pluginMetadata.getId() }),
      }),
      createServiceFactory({
        service: coreServices.permissions,
        deps: {},
        factory: (): PermissionsService =>
          options.permissions ?? { authorize, authorizeConditional },
      }),
      ...(options.features ?? []),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/pod-watch`,
    logger,
    stop: () => backend.stop(),
  };
}

/** Runs `fn` against a started backend and stops it afterwards. */
export async function withBackend<T>(
  options: Parameters<typeof startPodWatchBackend>[0],
  fn: (backend: PodWatchBackend) => Promise<T>,
): Promise<T> {
  const backend = await startPodWatchBackend(options);
  try {
    return await fn(backend);
  } finally {
    await backend.stop();
  }
}
