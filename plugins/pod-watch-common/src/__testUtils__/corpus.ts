import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { V1Pod } from '@kubernetes/client-node';
// test-only: reads ../shared/fixtures from Node; never part of the published package
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { fixturePath } from '@pod-watch/test-fixtures';
import { loadJson, loadYaml, podsOf, resolveNowPlaceholders } from './fixtures';

function casePods(doc: unknown): V1Pod[] {
  const d = doc as { cases?: { pod: V1Pod }[] };
  return Array.isArray(d.cases) ? d.cases.map(c => c.pod) : podsOf(doc);
}

/**
 * Every real-world pod fixture (k9s, gitops-engine, is-healthy, Headlamp, popeye,
 * kube-state-metrics), with is-healthy placeholders resolved against `now`.
 */
export function loadPodCorpus(now: Date): V1Pod[] {
  const pods: V1Pod[] = [];
  const yamlDir = (dir: string) =>
    fs
      .readdirSync(fixturePath(dir))
      .filter(f => f.endsWith('.yaml'))
      .map(f => `${dir}/${f}`);
  for (const rel of [
    ...yamlDir('pods/is-healthy'),
    ...yamlDir('pods/gitops-engine'),
    ...yamlDir('pods/popeye'),
  ]) {
    pods.push(...podsOf(resolveNowPlaceholders(loadYaml(rel), now)));
  }
  for (const rel of [
    'pods/k9s/po.json',
    'pods/k9s/po_init.json',
    'pods/k9s/po_sidecar.json',
    'pods/k9s/k9s-podstatus-cases.json',
    'pods/headlamp/storyHelper.podList.json',
    'pods/headlamp/headlamp-pod-health-cases.json',
    'pods/kube-state-metrics-podstore-cases.json',
  ]) {
    pods.push(...casePods(loadJson(rel)));
  }
  return pods;
}

/** Every humanlog benchmark line (9 loggers, gunzipped) and every detect-exceptions trace line. */
export function loadLogCorpus(): string[] {
  const lines: string[] = [];
  const add = (buf: Buffer) => {
    for (const l of buf.toString('utf8').split('\n'))
      if (l !== '') lines.push(l);
  };
  for (const dir of ['logs/humanlog-benchmark', 'logs/detect-exceptions']) {
    for (const f of fs.readdirSync(fixturePath(dir)).sort()) {
      const file = fixturePath(`${dir}/${f}`);
      if (f.endsWith('.log.gz')) add(gunzipSync(fs.readFileSync(file)));
      else if (f.endsWith('.txt')) add(fs.readFileSync(file));
    }
  }
  return lines;
}
