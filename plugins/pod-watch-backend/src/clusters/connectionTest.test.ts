import { startSim } from '../watch/__testUtils__/harness';
import { kubeConfigForServer } from './clusterConfig';
import { clusterConnectionTester } from './connectionTest';
import { failOnceWithStatus } from './__testUtils__/statusFault';

describe('clusterConnectionTester', () => {
  it('answers outcome, latency and version, never credentials', async () => {
    const { sim, kubeConfig } = await startSim();
    try {
      const unreachable = kubeConfigForServer({
        name: 'gone',
        url: 'https://127.0.0.1:1',
        token: sim.token,
      });
      const test = clusterConnectionTester(() => ({
        clusters: [
          { name: 'sim', source: 'kubernetes-config', kubeConfig },
          {
            name: 'gone',
            source: 'kubernetes-config',
            kubeConfig: unreachable,
          },
        ],
        problems: [{ name: 'broken', error: 'serviceAccountToken missing' }],
      }));

      const ok = await test('sim');
      expect(ok).toEqual({
        cluster: 'sim',
        ok: true,
        latencyMs: expect.any(Number),
        serverVersion: expect.stringMatching(/^v\d+\.\d+/),
      });
      const gone = await test('gone');
      expect(gone).toMatchObject({ cluster: 'gone', ok: false });
      expect(gone?.error).toMatch(/connection error/);
      expect(await test('broken')).toEqual({
        cluster: 'broken',
        ok: false,
        error: 'serviceAccountToken missing',
      });
      expect(await test('nope')).toBeUndefined();

      // the API server (or a proxy) echoes the token the request sent, with no telling prefix
      const clear = failOnceWithStatus(
        sim,
        '/version',
        403,
        `user with ${sim.token} cannot get /version`,
      );
      const echoed = await test('sim');
      clear();
      expect(echoed).toMatchObject({
        cluster: 'sim',
        ok: false,
        error: '/version: 403 user with [REDACTED] cannot get /version',
      });
      expect(JSON.stringify([ok, gone, echoed])).not.toContain(sim.token);
    } finally {
      await sim.close();
    }
  }, 60_000); // the simulator generates its certificate on start
});
