import { ConfigReader } from '@backstage/config';
import { KubeSim, startKubeSim } from '@pod-watch/kube-sim';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inClusterKubeConfig, readClusters } from './clusterConfig';
import { KubeApiError, KubeClient } from './KubeClient';
import {
  readPodWatchConfig,
  isNamespaceWatched,
  POD_WATCH_DEFAULTS,
} from './podWatchConfig';

jest.setTimeout(30_000);

describe('cluster config', () => {
  let sim: KubeSim;
  beforeAll(async () => {
    sim = await startKubeSim({ port: 0 });
  });
  afterAll(async () => {
    await sim.close();
  });

  const config = (podWatch: object = {}) =>
    new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'ca',
                url: sim.url,
                authProvider: 'serviceAccount',
                serviceAccountToken: sim.token,
                caData: Buffer.from(sim.caPem).toString('base64'),
              },
              {
                name: 'insecure',
                url: sim.url,
                serviceAccountToken: sim.token,
                skipTLSVerify: true,
              },
              {
                name: 'wrong-token',
                url: sim.url,
                serviceAccountToken: 'nope',
                skipTLSVerify: true,
              },
              { name: 'oidc', url: sim.url, authProvider: 'oidc' },
              { name: 'no-url' },
            ],
          },
          { type: 'catalog' },
        ],
      },
      podWatch: {
        clusters: {
          kubeconfig: [
            { path: sim.kubeconfigPath, context: 'kube-sim', name: 'local' },
            { path: sim.kubeconfigPath, context: 'missing' },
          ],
        },
        ...podWatch,
      },
    });

  it('reads config clusters (caData, skipTLSVerify) and kubeconfig contexts, reporting bad ones', async () => {
    const { clusters, problems } = readClusters(config());
    expect(clusters.map(c => c.name)).toEqual([
      'ca',
      'insecure',
      'wrong-token',
      'local',
    ]);
    expect(problems.map(p => p.name).sort()).toEqual([
      'missing',
      'no-url',
      'oidc',
    ]);
    for (const name of ['ca', 'insecure', 'local']) {
      const client = new KubeClient(
        clusters.find(c => c.name === name)!.kubeConfig,
      );
      const list = await client.getJson('/api/v1/namespaces');
      expect(list.items.length).toBeGreaterThan(0);
    }
    const unauthorised = new KubeClient(
      clusters.find(c => c.name === 'wrong-token')!.kubeConfig,
    );
    await expect(unauthorised.getJson('/api/v1/pods')).rejects.toMatchObject({
      status: 401,
    });
    const unreachable = new KubeClient(
      readClusters(
        new ConfigReader({
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: 'x',
                    url: 'https://127.0.0.1:1',
                    serviceAccountToken: 't',
                  },
                ],
              },
            ],
          },
        }),
      ).clusters[0].kubeConfig,
    );
    const err = await unreachable.getJson('/api/v1/pods').catch(e => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect(err.status).toBe(0);
  });

  it('connects in-cluster with the mounted service account', async () => {
    const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-'));
    const dir = path.join(
      prefix,
      'var/run/secrets/kubernetes.io/serviceaccount',
    );
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'token'), sim.token);
    fs.writeFileSync(path.join(dir, 'ca.crt'), sim.caPem);
    fs.writeFileSync(path.join(dir, 'namespace'), 'default');
    const saved = { ...process.env };
    try {
      delete process.env.KUBERNETES_SERVICE_HOST;
      expect(() => inClusterKubeConfig(prefix)).toThrow(
        /not running in a cluster/,
      );
      process.env.KUBERNETES_SERVICE_HOST = '127.0.0.1';
      process.env.KUBERNETES_SERVICE_PORT = String(sim.port);
      const client = new KubeClient(inClusterKubeConfig(prefix));
      expect(
        (await client.getJson('/api/v1/namespaces')).items.length,
      ).toBeGreaterThan(0);
      const { problems } = readClusters(
        new ConfigReader({
          podWatch: { clusters: { inCluster: { enabled: true } } },
        }),
      );
      // the real mount does not exist here: reported, not thrown
      expect(problems).toEqual([
        {
          name: 'in-cluster',
          error: expect.stringMatching(/no service account token/),
        },
      ]);
    } finally {
      process.env = saved;
      fs.rmSync(prefix, { recursive: true, force: true });
    }
  });

  it('uses the mounted service account token and CA for a config cluster without a token', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-'));
    fs.writeFileSync(path.join(dir, 'token'), sim.token);
    fs.writeFileSync(path.join(dir, 'ca.crt'), sim.caPem);
    const saved = process.env.POD_WATCH_SERVICE_ACCOUNT_DIR;
    const readTokenless = () =>
      readClusters(
        new ConfigReader({
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: 'here',
                    url: sim.url,
                    authProvider: 'serviceAccount',
                  },
                ],
              },
            ],
          },
        }),
      ).clusters[0].kubeConfig;
    try {
      process.env.POD_WATCH_SERVICE_ACCOUNT_DIR = dir;
      const client = new KubeClient(readTokenless());
      expect(
        (await client.getJson('/api/v1/namespaces')).items.length,
      ).toBeGreaterThan(0);

      // Without a mount the request goes out anonymously and the server says so.
      process.env.POD_WATCH_SERVICE_ACCOUNT_DIR = path.join(dir, 'missing');
      const anonymous = new KubeClient(readTokenless());
      const err = await anonymous.getJson('/api/v1/namespaces').catch(e => e);
      expect(err).toBeInstanceOf(KubeApiError);
    } finally {
      if (saved === undefined) delete process.env.POD_WATCH_SERVICE_ACCOUNT_DIR;
      else process.env.POD_WATCH_SERVICE_ACCOUNT_DIR = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('narrows clusters with podWatch.clusters.include', () => {
    const { clusters } = readClusters(
      config({ clusters: { include: ['ca'] } }),
    );
    expect(clusters.map(c => c.name)).toEqual(['ca']);
  });

  it('applies podWatch defaults and validates values', () => {
    expect(readPodWatchConfig(new ConfigReader({}))).toEqual(
      POD_WATCH_DEFAULTS,
    );
    const c = readPodWatchConfig(
      new ConfigReader({
        podWatch: {
          namespaces: { allow: ['a', 'b'], deny: ['b'] },
          kinds: ['pods', 'events.k8s.io/events'],
          customResources: [
            { group: 'example.com', version: 'v1', plural: 'widgets' },
          ],
          logs: { tailLines: 50 },
        },
      }),
    );
    expect(c.kinds).toEqual(['pods', 'events.k8s.io/events']);
    expect(c.logs.tailLines).toBe(50);
    expect(c.customResources[0]).toMatchObject({
      plural: 'widgets',
      namespaced: true,
    });
    expect(isNamespaceWatched(c.namespaces, 'a')).toBe(true);
    expect(isNamespaceWatched(c.namespaces, 'b')).toBe(false);
    expect(isNamespaceWatched(c.namespaces, 'c')).toBe(false);
    expect(() =>
      readPodWatchConfig(
        new ConfigReader({ podWatch: { kinds: ['secrets'] } }),
      ),
    ).toThrow(/unknown kind/);
    expect(() =>
      readPodWatchConfig(
        new ConfigReader({ podWatch: { logs: { tailLines: -1 } } }),
      ),
    ).toThrow(/tailLines/);
    expect(
      readPodWatchConfig(
        new ConfigReader({
          podWatch: { leadership: { leaseSeconds: 15, renewSeconds: 2 } },
        }),
      ).leadership,
    ).toEqual({ leaseSeconds: 15, renewSeconds: 2 });
    // a holder renewing less than three times a lease would hand over on one slow renewal
    expect(() =>
      readPodWatchConfig(
        new ConfigReader({
          podWatch: { leadership: { leaseSeconds: 10, renewSeconds: 5 } },
        }),
      ),
    ).toThrow(/renewSeconds \(5\) must be at most a third of leaseSeconds/);
  });
});
