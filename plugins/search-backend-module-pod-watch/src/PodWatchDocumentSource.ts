import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  KUBERNETES_ANNOTATIONS,
  POD_WATCH_MAX_PAGE_LIMIT,
  type EntityPodsResponse,
  type IncidentsResponse,
  type PodWatchIncidentDocument,
  type PodWatchWorkloadDocument,
} from '@pod-watch/plugin-pod-watch-common';
import {
  DocumentEntity,
  incidentDocument,
  workloadDocument,
} from './documents';

/** Incidents indexed per entity at most (newest first). */
export const MAX_INCIDENTS_PER_ENTITY = 5000;

/**
 * Reads search documents through the pod-watch backend's REST API with this module's service
 * token, the way a module of another plugin should (no access to pod-watch's database). The
 * entities are the catalog's entities with a Kubernetes annotation.
 */
export class PodWatchDocumentSource {
  constructor(
    private readonly options: {
      auth: AuthService;
      discovery: DiscoveryService;
      catalog: CatalogService;
      logger: LoggerService;
    },
  ) {}

  /** Incidents of every annotated entity, with the images of their workloads. */
  async *incidentDocuments(): AsyncGenerator<PodWatchIncidentDocument> {
    for (const entity of await this.entities()) {
      const pods = await this.pods(entity.ref);
      if (!pods) continue;
      const imagesOf = new Map(
        pods.workloads.map(w => [
          `${w.cluster}/${w.namespace}/${w.name}`,
          w.images ?? [],
        ]),
      );
      for await (const incident of this.incidents(entity.ref)) {
        const images = imagesOf.get(
          `${incident.cluster}/${incident.namespace}/${incident.workloadName}`,
        );
        yield incidentDocument(entity, incident, images);
      }
    }
  }

  /** Workloads of every annotated entity with their rolled-up health. */
  async *workloadDocuments(): AsyncGenerator<PodWatchWorkloadDocument> {
    for (const entity of await this.entities()) {
      const pods = await this.pods(entity.ref);
      for (const workload of pods?.workloads ?? []) {
        yield workloadDocument(entity, workload);
      }
    }
  }

  /** The entity's workload roll-ups (one pod is enough: the roll-ups cover all of them). */
  private pods(entityRef: string) {
    return this.get<EntityPodsResponse>('/pods', { entityRef, limit: '1' });
  }

  private async *incidents(entityRef: string) {
    for (let offset = 0; offset < MAX_INCIDENTS_PER_ENTITY; ) {
      const page = await this.get<IncidentsResponse>('/incidents', {
        entityRef,
        limit: String(POD_WATCH_MAX_PAGE_LIMIT),
        offset: String(offset),
      });
      if (!page) return;
      yield* page.items;
      if (!page.hasMore || page.items.length === 0) return;
      offset += page.items.length;
    }
  }

  private async entities(): Promise<DocumentEntity[]> {
    const { auth, catalog } = this.options;
    const { items } = await catalog.getEntities(
      {
        filter: [
          {
            [`metadata.annotations.${KUBERNETES_ANNOTATIONS.id}`]:
              CATALOG_FILTER_EXISTS,
          },
          {
            [`metadata.annotations.${KUBERNETES_ANNOTATIONS.labelSelector}`]:
              CATALOG_FILTER_EXISTS,
          },
        ],
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
        ],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    return items.map(e => ({
      ref: stringifyEntityRef(e),
      kind: e.kind,
      namespace: e.metadata.namespace ?? 'default',
      name: e.metadata.name,
      title: e.metadata.title,
    }));
  }

  /** GET from pod-watch; undefined on 404 (the entity went away meanwhile). */
  private async get<T>(
    path: string,
    query: Record<string, string>,
  ): Promise<T | undefined> {
    const { auth, discovery } = this.options;
    const baseUrl = await discovery.getBaseUrl('pod-watch');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'pod-watch',
    });
    const response = await fetch(
      `${baseUrl}${path}?${new URLSearchParams(query)}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (response.status === 404) {
      this.options.logger.debug(
        `pod-watch ${path} for ${query.entityRef}: 404`,
      );
      return undefined;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
