import fs from 'node:fs';
import path from 'node:path';

export interface KubeconfigParams {
  server: string;
  caPem: string;
  token: string;
  clusterName?: string;
  user?: string;
  namespace?: string;
}

/** A kubeconfig for the simulator (YAML; kubectl and client-node both read it). */
export function renderKubeconfig(p: KubeconfigParams): string {
  const cluster = p.clusterName ?? 'kube-sim';
  const user = p.user ?? 'kube-sim-admin';
  const ca = Buffer.from(p.caPem).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${cluster}`,
    '  cluster:',
    `    server: ${p.server}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    token: ${p.token}`,
    'contexts:',
    `- name: ${cluster}`,
    '  context:',
    `    cluster: ${cluster}`,
    `    user: ${user}`,
    ...(p.namespace ? [`    namespace: ${p.namespace}`] : []),
    `current-context: ${cluster}`,
    'preferences: {}',
    '',
  ].join('\n');
}

export function writeKubeconfig(file: string, yaml: string) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // the file carries a bearer token: keep it private to the user
  fs.writeFileSync(file, yaml, { mode: 0o600 });
}
