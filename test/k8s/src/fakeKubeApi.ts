import http from 'node:http';
import { AddressInfo } from 'node:net';

/** One resource type the fake API server advertises in discovery. */
export interface FakeResource {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural resource name, e.g. 'deployments'. */
  name: string;
  kind: string;
  namespaced: boolean;
}

export interface FakeKubeApi {
  url: string;
  /** Every request seen, as 'GET /path'. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * The smallest API server `kubectl apply --dry-run=client --validate=false` needs: discovery
 * (/api, /apis, one resource list per group version) so it can map kinds to resources, and
 * 404 for every object so each apply is a (dry-run) create. No cluster, no network.
 */
export async function startFakeKubeApi(
  resources: FakeResource[],
): Promise<FakeKubeApi> {
  const requests: string[] = [];
  const groupVersions = new Map<string, FakeResource[]>();
  for (const r of resources) {
    const gv = r.group ? `${r.group}/${r.version}` : r.version;
    groupVersions.set(gv, [...(groupVersions.get(gv) ?? []), r]);
  }
  const resourceList = (gv: string) => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: groupVersions.get(gv)!.map(r => ({
      name: r.name,
      singularName: r.kind.toLowerCase(),
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    })),
  });
  const groups = [...groupVersions.keys()]
    .filter(gv => gv.includes('/'))
    .map(gv => {
      const [name, version] = gv.split('/');
      const v = { groupVersion: gv, version };
      return { name, versions: [v], preferredVersion: v };
    });

  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && pathname === '/version') {
      return send(200, { major: '1', minor: '32', gitVersion: 'v1.32.0' });
    }
    if (req.method === 'GET' && pathname === '/api') {
      return send(200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [],
      });
    }
    if (req.method === 'GET' && pathname === '/apis') {
      return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
    }
    if (req.method === 'GET' && pathname === '/api/v1') {
      return send(200, resourceList('v1'));
    }
    const gv = pathname.startsWith('/apis/') ? pathname.slice(6) : '';
    if (req.method === 'GET' && groupVersions.has(gv)) {
      return send(200, resourceList(gv));
    }
    return send(404, {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
      message: `${pathname} not found`,
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close(err => (err ? reject(err) : resolve())),
      ),
  };
}

/** A kubeconfig pointing kubectl at the fake server. */
export function kubeconfigFor(url: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `  - name: fake`,
    `    cluster: { server: "${url}" }`,
    'users:',
    '  - name: fake',
    '    user: {}',
    'contexts:',
    '  - name: fake',
    '    context: { cluster: fake, user: fake }',
    'current-context: fake',
    '',
  ].join('\n');
}
