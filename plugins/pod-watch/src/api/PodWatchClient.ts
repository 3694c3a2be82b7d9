import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  EntityPodsQuery,
  EntityPodsResponse,
  IncidentDetailResponse,
  IncidentsQuery,
  IncidentsResponse,
  LogsQuery,
  LogsResponse,
  PodDetailQuery,
  PodDetailResponse,
} from '@pod-watch/plugin-pod-watch-common';
import { LogsDownloadQuery, PodWatchApi, PodWatchHealth } from './PodWatchApi';

type QueryValue = string | number | boolean | string[] | undefined;

/** Query string in the router's format: arrays comma-separated, undefined and empty lists left out. */
export function toQueryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','));
    } else {
      params.set(key, String(value));
    }
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Talks to the backend through Backstage's fetch API, so the user's token rides along. @public */
export class PodWatchClient implements PodWatchApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getHealth(): Promise<PodWatchHealth> {
    return this.get<PodWatchHealth>('/health');
  }

  async getEntityPods(query: EntityPodsQuery): Promise<EntityPodsResponse> {
    return this.get(`/pods${toQueryString({ ...query })}`);
  }

  async getPodDetail(query: PodDetailQuery): Promise<PodDetailResponse> {
    const { cluster, namespace, name, ...rest } = query;
    const path = [cluster, namespace, name].map(encodeURIComponent).join('/');
    return this.get(`/pods/${path}${toQueryString({ ...rest })}`);
  }

  async getLogs(query: LogsQuery): Promise<LogsResponse> {
    return this.get(`/logs${toQueryString({ ...query })}`);
  }

  async downloadLogs(query: LogsDownloadQuery): Promise<Blob> {
    const response = await this.fetch(
      `/logs/download${toQueryString({ ...query })}`,
    );
    return response.blob();
  }

  async getIncidents(query: IncidentsQuery): Promise<IncidentsResponse> {
    return this.get(`/incidents${toQueryString({ ...query })}`);
  }

  async getIncident(id: number): Promise<IncidentDetailResponse> {
    return this.get(`/incidents/${encodeURIComponent(String(id))}`);
  }

  private async get<T>(path: string): Promise<T> {
    const response = await this.fetch(path);
    return (await response.json()) as T;
  }

  private async fetch(path: string): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('pod-watch');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
