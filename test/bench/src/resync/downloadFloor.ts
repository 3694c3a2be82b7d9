/**
 * The floor of a full resync: only downloading the paginated pod list (same page size as the
 * Reflector) over HTTPS with the simulator's CA and token, and JSON.parse-ing every page. Plain
 * node:https with one keep-alive connection: nothing Pod Watch could skip.
 */
import https from 'node:https';
import type { SimProcess } from '../ingestion/simProcess';

function getJson(
  agent: https.Agent,
  sim: SimProcess,
  path: string,
): Promise<any> {
  return new Promise((resolve, reject) => {
    https
      .get(
        `${sim.url}${path}`,
        {
          agent,
          headers: {
            Authorization: `Bearer ${sim.token}`,
            Accept: 'application/json',
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('error', reject);
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) {
              reject(
                new Error(`${path}: ${res.statusCode} ${body.slice(0, 200)}`),
              );
              return;
            }
            resolve(JSON.parse(body));
          });
        },
      )
      .on('error', reject);
  });
}

/** Downloads and parses every page of /api/v1/pods; returns the wall ms and the item count. */
export async function downloadFloor(
  sim: SimProcess,
  pageSize: number,
): Promise<{ ms: number; items: number }> {
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 1,
    ca: sim.caPem,
  });
  try {
    const t0 = performance.now();
    let items = 0;
    let cont: string | undefined;
    do {
      const query = new URLSearchParams({ limit: String(pageSize) });
      if (cont) query.set('continue', cont);
      const page = await getJson(agent, sim, `/api/v1/pods?${query}`);
      items += page.items.length;
      cont = page.metadata?.continue || undefined;
    } while (cont);
    return { ms: performance.now() - t0, items };
  } finally {
    agent.destroy();
  }
}
