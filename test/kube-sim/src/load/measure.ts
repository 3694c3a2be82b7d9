/* eslint-disable no-console */
/**
 * Measures the load generator on this machine:
 *   yarn workspace @pod-watch/kube-sim tsx src/load/measure.ts [pods] [namespaces] [eventsPerSecond] [seconds]
 * Creates the pods, lists them over HTTPS, runs the event churn with one watcher
 * on events and reports what arrived.
 */
import https from 'node:https';
import { startKubeSim } from '../index';

async function main() {
  const [pods = 10000, namespaces = 50, eps = 1000, seconds = 10] = process.argv
    .slice(2)
    .map(Number);
  const sim = await startKubeSim({ port: 0 });
  const created = sim.load.createPods({ pods, namespaces });
  console.log(
    `created ${created.pods} pods in ${created.namespaces} namespaces in ${created.ms} ms`,
  );

  const get = (path: string) =>
    new Promise<{ ms: number; bytes: number; body: string }>(
      (resolve, reject) => {
        const t0 = Date.now();
        https
          .get(
            `${sim.url}${path}`,
            {
              ca: sim.caPem,
              headers: { Authorization: `Bearer ${sim.token}` },
            },
            res => {
              const chunks: Buffer[] = [];
              res.on('data', d => chunks.push(d));
              res.on('end', () => {
                const body = Buffer.concat(chunks).toString();
                resolve({ ms: Date.now() - t0, bytes: body.length, body });
              });
            },
          )
          .on('error', reject);
      },
    );
  const list = await get('/api/v1/pods');
  console.log(
    `list all pods: ${JSON.parse(list.body).items.length} items, ${(
      list.bytes / 1e6
    ).toFixed(1)} MB in ${list.ms} ms`,
  );
  let page = await get('/api/v1/pods?limit=500');
  let pages = 1;
  const tp = Date.now();
  while (JSON.parse(page.body).metadata.continue) {
    page = await get(
      `/api/v1/pods?limit=500&continue=${
        JSON.parse(page.body).metadata.continue
      }`,
    );
    pages++;
  }
  console.log(
    `paginated list (limit 500): ${pages} pages in ${Date.now() - tp} ms`,
  );

  // one watcher on all events, counting lines
  let received = 0;
  let buf = '';
  const req = https.get(
    `${sim.url}/api/v1/events?watch=1&resourceVersion=${sim.store.resourceVersion}`,
    { ca: sim.caPem, headers: { Authorization: `Bearer ${sim.token}` } },
    res => {
      res.on('data', d => {
        buf += d;
        for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
          buf = buf.slice(i + 1);
          received++;
        }
      });
    },
  );
  req.on('error', () => undefined);
  await new Promise(r => setTimeout(r, 200));
  const cpu0 = process.cpuUsage();
  sim.load.startChurn({ eventsPerSecond: eps, podUpdatesPerSecond: eps / 10 });
  await new Promise(r => setTimeout(r, seconds * 1000));
  sim.load.stopChurn();
  await new Promise(r => setTimeout(r, 500));
  const cpu = process.cpuUsage(cpu0);
  const st = sim.load.stats();
  console.log(
    `churn: ${st.eventsEmitted} event occurrences in ${st.seconds.toFixed(
      1,
    )} s = ${st.eventsPerSecond.toFixed(0)}/s (target ${eps}/s), ${
      st.podUpdates
    } pod updates; watcher received ${received} event changes; cpu ${(
      (cpu.user + cpu.system) /
      1e6
    ).toFixed(1)} s`,
  );
  console.log(
    `ledger: ${JSON.stringify(sim.ledger.counts())}, rss ${(
      process.memoryUsage().rss / 1e6
    ).toFixed(0)} MB`,
  );
  req.destroy();
  await sim.close();
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
