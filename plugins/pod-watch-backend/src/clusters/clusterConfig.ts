import type { Config } from '@backstage/config';
import { KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';

/** A cluster Pod Watch can connect to. */
export interface ClusterTarget {
  name: string;
  /** where the definition came from, for messages */
  source: 'kubernetes-config' | 'in-cluster' | 'kubeconfig';
  kubeConfig: KubeConfig;
}

/** A cluster whose definition is unusable: reported, never fatal, never blocks the others. */
export interface ClusterConfigProblem {
  name: string;
  error: string;
}

export interface ClusterConfigResult {
  clusters: ClusterTarget[];
  problems: ClusterConfigProblem[];
}

/** A KubeConfig for one API server reached with a bearer token (the serviceAccount provider). */
export function kubeConfigForServer(options: {
  name: string;
  url: string;
  token?: string;
  /** Read the token from this file, re-reading it as the kubelet rotates it. */
  tokenFile?: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify?: boolean;
}): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: options.name,
        server: options.url.replace(/\/+$/, ''),
        caData: options.caData,
        caFile: options.caFile,
        skipTLSVerify: options.skipTLSVerify ?? false,
      },
    ],
    users: [
      options.token || !options.tokenFile
        ? { name: options.name, token: options.token }
        : {
            name: options.name,
            authProvider: { config: { tokenFile: options.tokenFile } },
          },
    ],
    contexts: [
      { name: options.name, cluster: options.name, user: options.name },
    ],
    currentContext: options.name,
  });
  return kc;
}

/** Backstage's caData is base64 PEM like kubeconfig's; accept plain PEM too. */
function normaliseCaData(caData: string | undefined): string | undefined {
  if (!caData) return undefined;
  return caData.includes('-----BEGIN')
    ? Buffer.from(caData).toString('base64')
    : caData.replace(/\s+/g, '');
}

/**
 * `kubernetes.clusterLocatorMethods` entries of type `config`, as Backstage's Kubernetes plugin
 * reads them, so an existing install needs no second list. Only the `serviceAccount` auth
 * provider carries a credential the backend can use on its own; others are reported.
 */
function readKubernetesPluginClusters(
  config: Config,
  out: ClusterConfigResult,
) {
  const methods = config.getOptionalConfigArray(
    'kubernetes.clusterLocatorMethods',
  );
  for (const method of methods ?? []) {
    if (method.getOptionalString('type') !== 'config') continue;
    method.getOptionalConfigArray('clusters')?.forEach((c, i) => {
      const name = c.getOptionalString('name') ?? `cluster-${i}`;
      try {
        const authProvider =
          c.getOptionalString('authProvider') ?? 'serviceAccount';
        if (authProvider !== 'serviceAccount') {
          throw new Error(
            `authProvider "${authProvider}" is not supported for background collection; use serviceAccount`,
          );
        }
        const token = c.getOptionalString('serviceAccountToken');
        const caData = normaliseCaData(c.getOptionalString('caData'));
        const caFile = c.getOptionalString('caFile');
        // Like Backstage's Kubernetes plugin: no token configured means the pod's own
        // service account, i.e. the mounted token (and CA, unless one is given).
        const mounted = !token && mountedServiceAccount();
        out.clusters.push({
          name: c.getString('name'),
          source: 'kubernetes-config',
          kubeConfig: kubeConfigForServer({
            name,
            url: c.getString('url'),
            token,
            tokenFile: mounted ? mounted.tokenFile : undefined,
            caData,
            caFile: caFile ?? (mounted && !caData ? mounted.caFile : undefined),
            skipTLSVerify: c.getOptionalBoolean('skipTLSVerify'),
          }),
        });
      } catch (e) {
        out.problems.push({ name, error: (e as Error).message });
      }
    });
  }
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The pod's mounted service account, when there is one. `dir` relocates the mount (tests). */
export function mountedServiceAccount(
  dir = process.env.POD_WATCH_SERVICE_ACCOUNT_DIR ?? SERVICE_ACCOUNT_DIR,
): { tokenFile: string; caFile?: string } | undefined {
  const tokenFile = `${dir}/token`;
  if (!fs.existsSync(tokenFile)) return undefined;
  const caFile = `${dir}/ca.crt`;
  return { tokenFile, caFile: fs.existsSync(caFile) ? caFile : undefined };
}

/**
 * The cluster this process runs in: API server from KUBERNETES_SERVICE_HOST/PORT, the mounted
 * service account token (re-read as it rotates) and CA. `pathPrefix` relocates the mount (tests).
 */
export function inClusterKubeConfig(pathPrefix = ''): KubeConfig {
  if (
    !process.env.KUBERNETES_SERVICE_HOST ||
    !process.env.KUBERNETES_SERVICE_PORT
  ) {
    throw new Error(
      'not running in a cluster: KUBERNETES_SERVICE_HOST/PORT are not set',
    );
  }
  if (!fs.existsSync(`${pathPrefix}${SERVICE_ACCOUNT_DIR}/token`)) {
    throw new Error(
      `no service account token at ${pathPrefix}${SERVICE_ACCOUNT_DIR}/token`,
    );
  }
  const kc = new KubeConfig();
  kc.loadFromCluster(pathPrefix);
  return kc;
}

/** `podWatch.clusters.inCluster` and `podWatch.clusters.kubeconfig` (local use). */
function readLocalClusters(config: Config, out: ClusterConfigResult) {
  const c = config.getOptionalConfig('podWatch.clusters');
  const inCluster = c?.getOptionalConfig('inCluster');
  if (inCluster?.getOptionalBoolean('enabled')) {
    const name = inCluster.getOptionalString('name') ?? 'in-cluster';
    try {
      const kc = inClusterKubeConfig();
      out.clusters.push({ name, source: 'in-cluster', kubeConfig: kc });
    } catch (e) {
      out.problems.push({ name, error: (e as Error).message });
    }
  }
  c?.getOptionalConfigArray('kubeconfig')?.forEach((k, i) => {
    const context = k.getOptionalString('context');
    const name = k.getOptionalString('name') ?? context ?? `kubeconfig-${i}`;
    try {
      const kc = new KubeConfig();
      const path = k.getOptionalString('path');
      if (path) kc.loadFromFile(path);
      else kc.loadFromDefault();
      if (context) {
        if (!kc.getContextObject(context)) {
          throw new Error(`kubeconfig has no context "${context}"`);
        }
        kc.setCurrentContext(context);
      }
      if (!kc.getCurrentCluster()) {
        throw new Error('kubeconfig has no current cluster');
      }
      out.clusters.push({ name, source: 'kubeconfig', kubeConfig: kc });
    } catch (e) {
      out.problems.push({ name, error: (e as Error).message });
    }
  });
}

/**
 * Every cluster to watch. `podWatch.clusters.include` (names) narrows the list; duplicates
 * keep the first definition and are reported.
 */
export function readClusters(config: Config): ClusterConfigResult {
  const out: ClusterConfigResult = { clusters: [], problems: [] };
  readKubernetesPluginClusters(config, out);
  readLocalClusters(config, out);
  const include = config.getOptionalStringArray('podWatch.clusters.include');
  const seen = new Set<string>();
  out.clusters = out.clusters.filter(c => {
    if (include && !include.includes(c.name)) return false;
    if (seen.has(c.name)) {
      out.problems.push({
        name: c.name,
        error: 'duplicate cluster name; later definition ignored',
      });
      return false;
    }
    seen.add(c.name);
    return true;
  });
  return out;
}
