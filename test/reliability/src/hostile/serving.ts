/** Reads of the hostile data through the routes: every answer must be 200 and parse. */
import { NAMESPACE } from './inputs';

/** GETs of lists, pages, downloads and details that include every hostile object. */
export function hostileReads(
  entityRef: string,
  cluster: string,
  pods: Array<{ metadata: { name: string; uid: string } }>,
): string[] {
  const ref = encodeURIComponent(entityRef);
  return [
    `/pods?entityRef=${ref}&limit=5000`,
    `/logs?entityRef=${ref}&limit=2000`,
    `/logs?entityRef=${ref}&fold=false&q=${encodeURIComponent('\u202e')}`,
    `/logs/download?entityRef=${ref}`,
    `/history/events?namespace=${NAMESPACE}&limit=1000`,
    `/history/objects?namespace=${NAMESPACE}&limit=1000`,
    ...pods.map(
      p =>
        `/pods/${cluster}/${NAMESPACE}/${encodeURIComponent(
          p.metadata.name,
        )}?entityRef=${ref}`,
    ),
    ...pods.map(
      p => `/history/objects/${cluster}/${p.metadata.uid}?entityRef=${ref}`,
    ),
  ];
}

/** Requests the paths; returns the failures (non-200, or JSON that does not parse). */
export async function failedReads(
  baseUrl: string,
  paths: string[],
  headers: Record<string, string>,
): Promise<{ failed: string[]; serverErrors: number }> {
  const failed: string[] = [];
  let serverErrors = 0;
  for (const path of paths) {
    const res = await fetch(`${baseUrl}${path}`, { headers });
    const body = await res.text();
    let parses = true;
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      try {
        JSON.parse(body);
      } catch {
        parses = false;
      }
    }
    if (res.status >= 500) serverErrors++;
    if (res.status !== 200 || !parses)
      failed.push(`${path.slice(0, 80)} → ${res.status}`);
  }
  return { failed, serverErrors };
}
