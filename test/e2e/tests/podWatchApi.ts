import { APIRequestContext } from '@playwright/test';

const BACKEND = 'http://localhost:7007';

/** A guest token, as the development sign-in gets it. */
async function guestToken(request: APIRequestContext): Promise<string> {
  const res = await request.get(
    `${BACKEND}/api/auth/guest/refresh?env=development`,
    {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    },
  );
  return (await res.json()).backstageIdentity.token;
}

/**
 * How many pods the backend has collected for an entity. Specs that need simulator data skip
 * themselves (as fixme) while this is 0: the demo cluster is wired into the dev config separately.
 */
export async function collectedPods(
  request: APIRequestContext,
  entityRef: string,
): Promise<number> {
  try {
    const token = await guestToken(request);
    const res = await request.get(
      `${BACKEND}/api/pod-watch/pods?entityRef=${encodeURIComponent(
        entityRef,
      )}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (!res.ok()) return 0;
    return (await res.json()).total ?? 0;
  } catch {
    return 0;
  }
}

/** Whether the search backend has built the Pod Watch incident index (it collates on a schedule). */
export async function incidentIndexReady(
  request: APIRequestContext,
): Promise<boolean> {
  try {
    const token = await guestToken(request);
    const res = await request.get(
      `${BACKEND}/api/search/query?term=&types[0]=pod-watch-incident`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    return res.ok();
  } catch {
    return false;
  }
}
