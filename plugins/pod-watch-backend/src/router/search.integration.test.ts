import { mockCredentials } from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import searchPlugin from '@backstage/plugin-search-backend';
import searchModulePodWatch from '@pod-watch/plugin-search-backend-module-pod-watch';
import request from 'supertest';
import { podWatchTestBackends } from './__testUtils__/backend';
import { CHECKOUT_REF } from './__testUtils__/seed';

/**
 * The search module against this plugin's real routes and Backstage's search backend (Lunr):
 * what the app's search page does when someone types "OOMKilled checkout".
 */
describe('Pod Watch in Backstage search', () => {
  const { start } = podWatchTestBackends();
  const config = {
    // the search backend filters results by permission only when the framework is enabled
    permission: { enabled: true },
    search: {
      collators: {
        podWatch: {
          schedule: {
            frequency: { seconds: 2 },
            timeout: { minutes: 1 },
          },
        },
      },
    },
  };
  // the real scheduler: the test one runs only tasks scheduled before startup
  const features = [
    searchPlugin,
    searchModulePodWatch,
    schedulerServiceFactory,
  ];

  // one backend for the file: the scheduler keeps its task state in the shared database
  let server: Awaited<ReturnType<typeof start>>;
  let denyCheckoutIncidents = false;
  const consulted: string[] = [];
  beforeAll(async () => {
    server = await start('SQLITE_3', {
      config,
      features,
      allowResource: (permission, ref) => {
        if (ref) consulted.push(permission);
        return !(
          denyCheckoutIncidents &&
          permission === 'podwatch.incidents.read' &&
          ref === CHECKOUT_REF
        );
      },
    });
  });

  /** Polls the search API (the collators run right after start) until `done` holds. */
  async function search(
    term: string,
    options: { types?: string[]; done?: (results: any[]) => boolean } = {},
  ) {
    const done = options.done ?? (results => results.length > 0);
    const types = (options.types ?? []).map(t => `&types[]=${t}`).join('');
    for (let attempt = 0; ; attempt++) {
      const res = await request(server)
        .get(`/api/search/query?term=${encodeURIComponent(term)}${types}`)
        .set('Authorization', mockCredentials.user.header());
      // Lunr answers 500 for a type it has no index for yet
      const results: Array<{ type: string; document: any }> =
        res.status === 200 ? res.body.results : [];
      if (attempt >= 80) expect(res.status).toBe(200);
      if ((res.status === 200 && done(results)) || attempt >= 80) {
        return results;
      }
      await new Promise(r => setTimeout(r, 250));
    }
  }

  it('finds "OOMKilled <service name>" and links to the incident tab', async () => {
    const results = await search('OOMKilled checkout');
    expect(results[0]).toMatchObject({
      type: 'pod-watch-incident',
      document: {
        title: 'OOMKilled in checkout',
        location: expect.stringMatching(
          /^\/catalog\/default\/component\/checkout\/pod-watch-incidents\?incident=\d+$/,
        ),
        images: 'shop/checkout:1.4.2',
      },
    });
    const byImage = await search('shop/checkout:1.4.2', {
      types: ['pod-watch-workload'],
    });
    expect(byImage[0].document).toMatchObject({
      title: 'Deployment checkout (failing)',
      issue: 'OOMKilled',
    });
  }, 60_000);

  // the search API strips `authorization` from results: check its effect instead
  it('hides documents of entities the policy does not allow', async () => {
    denyCheckoutIncidents = true;
    consulted.length = 0;
    // workloads stay visible (pods.read) …
    const workloads = await search('OOMKilled checkout', {
      types: ['pod-watch-workload'],
    });
    expect(workloads.length).toBeGreaterThan(0);
    // … incidents are indexed, but each result is authorised against its entity and dropped
    const incidents = await search('OOMKilled checkout', {
      types: ['pod-watch-incident'],
      done: () => consulted.includes('podwatch.incidents.read'),
    });
    expect(consulted).toContain('podwatch.incidents.read');
    expect(incidents).toEqual([]);
  }, 60_000);
});
