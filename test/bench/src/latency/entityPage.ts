/**
 * The entity page's requests, exactly as the two frontends send them, over real HTTP with a user
 * token: Backstage's Kubernetes tab (`useKubernetesObjects` → `getObjectsByEntity`, which POSTs
 * `/services/:serviceId`) and Pod Watch's Pod health and Incidents tabs.
 */
import { workloadEntity, workloadEntityRef } from '@pod-watch/test-fixtures';
import { performance } from 'node:perf_hooks';
import { mockCredentials } from '@backstage/backend-test-utils';

/** The crash-looping `payments-api` of the kube-sim `crashloop` scenario, as a catalog entity. */
export const ENTITY = workloadEntity('payments-api');
export const ENTITY_REF = workloadEntityRef('payments-api');

export interface PageRequest {
  url: string;
  init: RequestInit;
}

const auth = { authorization: mockCredentials.user.header() };

export function entityPageRequests(baseUrl: string) {
  const podWatch = (path: string, query: Record<string, string>) => ({
    url: `${baseUrl}/api/pod-watch${path}?${new URLSearchParams(query)}`,
    init: { headers: auth },
  });
  return {
    /** the Kubernetes tab; `auth` is `{}` for serviceAccount clusters (generateAuth) */
    kubernetesObjects: {
      url: `${baseUrl}/api/kubernetes/services/${ENTITY.metadata.name}`,
      init: {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ entity: ENTITY, auth: {} }),
      },
    },
    /** the Pod health tab and the overview card (no filters) */
    pods: podWatch('/pods', { entityRef: ENTITY_REF }),
    /** the Incidents tab's open incidents */
    incidents: podWatch('/incidents', {
      entityRef: ENTITY_REF,
      status: 'open',
      limit: '100',
    }),
    clusters: podWatch('/clusters', {}),
    /** the floor: one trivial database query behind the same HTTP stack (auth, routing, JSON) */
    health: podWatch('/health', {}),
  } satisfies Record<string, PageRequest>;
}

/** Sends one request and reads the whole body; milliseconds from send to last byte. */
export async function timedRequest(
  request: PageRequest,
): Promise<{ ms: number; body: string }> {
  const t0 = performance.now();
  const res = await fetch(request.url, request.init);
  const body = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) {
    throw new Error(`${request.url}: HTTP ${res.status} ${body.slice(0, 300)}`);
  }
  return { ms, body };
}

export async function getJson(request: PageRequest): Promise<any> {
  return JSON.parse((await timedRequest(request)).body);
}

/** `namespace/name` of the pods the Kubernetes plugin returns, failing on any cluster error. */
export function kubernetesPodNames(response: any): string[] {
  const names: string[] = [];
  for (const cluster of response.items ?? []) {
    if (cluster.errors?.length) {
      throw new Error(
        `kubernetes-backend: ${cluster.cluster?.name}: ${JSON.stringify(
          cluster.errors,
        )}`,
      );
    }
    const pods = cluster.resources?.find((r: any) => r.type === 'pods');
    for (const p of pods?.resources ?? []) {
      names.push(`${p.metadata.namespace}/${p.metadata.name}`);
    }
  }
  return names.sort();
}

/** `namespace/name` of the pods Pod Watch's pods route returns. */
export function podWatchPodNames(response: any): string[] {
  return (response.pods ?? [])
    .map((p: any) => `${p.namespace}/${p.name}`)
    .sort();
}

/** Both systems' pods for the entity; throws when they differ (the comparison would be unfair). */
export async function samePods(
  requests: ReturnType<typeof entityPageRequests>,
): Promise<string[]> {
  const theirs = kubernetesPodNames(await getJson(requests.kubernetesObjects));
  const ours = podWatchPodNames(await getJson(requests.pods));
  if (theirs.length === 0 || theirs.join() !== ours.join()) {
    throw new Error(
      `the systems disagree on the entity's pods: kubernetes-backend [${theirs}], Pod Watch [${ours}]`,
    );
  }
  return ours;
}
