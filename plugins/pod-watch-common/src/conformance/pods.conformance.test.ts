/*
 * Conformance of describePod with other tools' expectations on their own real-world fixtures
 * (../shared/fixtures). Every disagreement must be one of the documented deliberate differences
 * (README "Deliberate differences"); the tests fail when a new one appears or a documented one
 * disappears, so the README stays true.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { describePod } from '../pods/describePod';
import type { PodHealth, PodSummary } from '../types';
import { AgreementReport } from '../__testUtils__/report';
import {
  latestTimestamp,
  loadJson,
  loadYaml,
  podsOf,
  resolveNowPlaceholders,
} from '../__testUtils__/fixtures';

const report = new AgreementReport();
const NOW = new Date();

/**
 * Static dumps and unit-test literals are evaluated as at the moment they were taken (their
 * newest timestamp + 30 s): their authors' tools have no clock, and Pod Watch's time rules
 * (startup timeout, stuck Terminating) would otherwise fire on years-old data.
 */
function atCapture(pod: unknown): Date {
  const t = latestTimestamp(pod);
  return Number.isNaN(t) ? NOW : new Date(t + 30_000);
}

function describe_(pod: unknown, now: Date): PodSummary {
  return describePod(pod as V1Pod, { now });
}

afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(report.format('Pod conformance: agreement with upstream labels'));
});

describe('kubectl STATUS where the fixture label is kubectl-equivalent', () => {
  interface HeadlampCase {
    id: string;
    pod: V1Pod;
    expectedDetailedStatusReason?: string;
    expectedHealth?: string;
  }
  const headlamp = loadJson<{ cases: HeadlampCase[] }>(
    'pods/headlamp/headlamp-pod-health-cases.json',
  ).cases;

  it('matches Headlamp getDetailedStatus (a kubectl printPod port) exactly', () => {
    const cases = headlamp.filter(
      c => c.expectedDetailedStatusReason !== undefined,
    );
    expect(cases.length).toBe(3);
    for (const c of cases) {
      const s = describe_(c.pod, atCapture(c.pod));
      report.add(
        'Headlamp',
        'kubectl STATUS',
        c.id,
        c.expectedDetailedStatusReason!,
        s.status,
      );
      expect(s.status).toBe(c.expectedDetailedStatusReason);
    }
  });
});

describe('k9s', () => {
  interface K9sCase {
    id: string;
    pod: V1Pod;
    expectedStatus: string;
  }
  const cases = loadJson<{ cases: K9sCase[] }>(
    'pods/k9s/k9s-podstatus-cases.json',
  ).cases;

  // k9s' STATUS is modelled on kubectl's but differs (README "Deliberate differences").
  const DOCUMENTED = [
    'TestCheckPhase/restartable',
    'TestCheckPhase/sidecar-terminated',
    'TestCheckPhase/waiting',
    'TestCheckPodStatus/sidecar-terminated-after-completion',
    'TestCheckPodStatus/sidecar-terminated-signal',
  ];

  it('agrees with k9s STATUS except for the documented cases', () => {
    expect(cases.length).toBe(23);
    for (const c of cases) {
      const s = describe_(c.pod, atCapture(c.pod));
      report.add('k9s', 'STATUS', c.id, c.expectedStatus, s.status);
    }
    expect(report.disagreements('k9s', 'STATUS')).toEqual(DOCUMENTED);
    expect(report.ratio('k9s', 'STATUS')).toBeGreaterThanOrEqual(0.75);
  });

  it('renders k9s testdata pods the way k9s expects (Running, Init:0/1, Running)', () => {
    const expected: Record<string, string> = {
      'po.json': 'Running',
      'po_init.json': 'Init:0/1',
      'po_sidecar.json': 'Running',
    };
    for (const [file, status] of Object.entries(expected)) {
      const pod = loadJson(`pods/k9s/${file}`);
      const s = describe_(pod, atCapture(pod));
      report.add('k9s', 'STATUS', file, status, s.status);
      expect(s.status).toBe(status);
    }
    // sidecar counted in READY, as kubectl does
    expect(describe_(loadJson('pods/k9s/po_sidecar.json'), NOW).ready).toBe(
      '2/2',
    );
  });
});

describe('Argo CD gitops-engine health', () => {
  const expected = loadJson<{ expectedArgoHealth: Record<string, string> }>(
    'pods/gitops-engine/EXPECTED.json',
  ).expectedArgoHealth;

  // Argo has no warning class: a degraded (warning) pod is Healthy or Progressing there.
  const TO_ARGO: Record<PodHealth, string[]> = {
    failing: ['Degraded'],
    unknown: ['Unknown', 'Degraded'],
    degraded: ['Healthy', 'Progressing'],
    initializing: ['Progressing'],
    terminating: ['Progressing'],
    healthy: ['Healthy'],
    completed: ['Healthy'],
  };
  const DOCUMENTED = [
    'pod-running-restart-never.yaml',
    'pod-running-restart-onfailure.yaml',
  ];

  it('agrees with Argo except for the documented cases', () => {
    expect(Object.keys(expected).length).toBe(11);
    for (const [file, argo] of Object.entries(expected)) {
      const pod = loadYaml(`pods/gitops-engine/${file}`);
      const s = describe_(pod, atCapture(pod));
      report.add(
        'Argo gitops-engine',
        'health',
        file,
        argo,
        s.health,
        TO_ARGO[s.health].includes(argo),
      );
    }
    expect(report.disagreements('Argo gitops-engine', 'health')).toEqual(
      DOCUMENTED,
    );
    expect(report.ratio('Argo gitops-engine', 'health')).toBeGreaterThanOrEqual(
      0.8,
    );
  });

  it('prints Terminating for the deleted pod, as the fixture notes kubectl would', () => {
    const pod = loadYaml('pods/gitops-engine/pod-deletion.yaml');
    expect(describe_(pod, atCapture(pod)).status).toBe('Terminating');
  });
});

describe('flanksource is-healthy', () => {
  const expected = loadJson<{
    expected: Record<string, { status?: string; health?: string }>;
  }>('pods/is-healthy/EXPECTED.json').expected;

  const TO_IS_HEALTHY: Record<PodHealth, string> = {
    failing: 'unhealthy',
    degraded: 'warning',
    initializing: 'unknown',
    terminating: 'unknown',
    unknown: 'unknown',
    healthy: 'healthy',
    completed: 'healthy',
  };
  const DOCUMENTED_HEALTH = ['pod-crashed-once.yaml'];

  it('agrees with is-healthy health except for the documented cases', () => {
    expect(Object.keys(expected).length).toBe(22);
    for (const [file, e] of Object.entries(expected)) {
      // placeholders relative to now, like is-healthy's harness; fixed times are meant as "long ago"
      const pod = resolveNowPlaceholders(
        loadYaml(`pods/is-healthy/${file}`),
        NOW,
      );
      const s = describe_(pod, NOW);
      if (e.health) {
        report.add(
          'is-healthy',
          'health',
          file,
          e.health,
          TO_IS_HEALTHY[s.health],
        );
      }
      if (e.status) {
        // is-healthy has its own status words (Starting, CrashedOnce, OOMKilled…): agreement only
        report.add('is-healthy', 'status word', file, e.status, s.status);
      }
    }
    expect(report.disagreements('is-healthy', 'health')).toEqual(
      DOCUMENTED_HEALTH,
    );
    expect(report.ratio('is-healthy', 'health')).toBeGreaterThanOrEqual(0.9);
  });

  it('names OOMKilled as the issue where is-healthy reports it', () => {
    for (const file of ['oomkilled-unhealthy.yaml', 'oomkilled-warning.yaml']) {
      const pod = resolveNowPlaceholders(
        loadYaml(`pods/is-healthy/${file}`),
        NOW,
      );
      const s = describe_(pod, NOW);
      expect(s.issues.map(i => i.reason)).toContain('OOMKilled');
    }
  });
});

describe('Headlamp getHealth', () => {
  const cases = loadJson<{
    cases: { id: string; pod: V1Pod; expectedHealth?: string }[];
  }>('pods/headlamp/headlamp-pod-health-cases.json').cases.filter(
    c => c.expectedHealth !== undefined,
  );

  const TO_HEADLAMP: Record<PodHealth, string> = {
    failing: 'failed',
    unknown: 'failed',
    degraded: 'degraded',
    initializing: 'transitional',
    terminating: 'transitional',
    healthy: 'healthy',
    completed: 'healthy',
  };

  it('agrees with every Headlamp health case', () => {
    expect(cases.length).toBe(10);
    for (const c of cases) {
      const s = describe_(c.pod, atCapture(c.pod));
      report.add(
        'Headlamp',
        'health',
        c.id,
        c.expectedHealth!,
        TO_HEADLAMP[s.health],
      );
    }
    expect(report.disagreements('Headlamp', 'health')).toEqual([]);
  });

  it('derives the story pods (no labels upstream) without surprises', () => {
    const pods = podsOf(loadJson('pods/headlamp/storyHelper.podList.json'));
    const byName = Object.fromEntries(
      pods.map(p => [p.metadata!.name!, describe_(p, atCapture(p))]),
    );
    expect(byName.imagepullbackoff.health).toBe('failing');
    expect(byName.imagepullbackoff.topIssue?.reason).toBe('ImagePullBackOff');
    expect(byName.successful.health).toBe('completed');
    expect(byName.initializing.health).toBe('initializing');
    expect(byName['liveness-http'].topIssue?.reason).toBe('CrashLoopBackOff');
    expect(byName.terminated.health).toBe('failing');
    expect(byName.running.health).toBe('healthy');
  });
});

describe('kube-state-metrics pod store', () => {
  interface KsmCase {
    pod: V1Pod;
    metricNames: string[];
    wantPrometheusText: string;
  }
  const cases = loadJson<{ cases: KsmCase[] }>(
    'pods/kube-state-metrics-podstore-cases.json',
  ).cases;
  const SAMPLE = /^\s*([a-z_]+)\{([^}]*)\}\s+(\S+)\s*$/;
  const LABEL = /(\w+)="([^"]*)"/g;

  /** One comparable fact per metric sample; undefined for metrics Pod Watch does not model. */
  function check(
    s: PodSummary,
    metric: string,
    labels: Record<string, string>,
    value: number,
  ): [string, string] | undefined {
    const init = metric.startsWith('kube_pod_init_container_');
    const base = metric.replace(
      'kube_pod_init_container_',
      'kube_pod_container_',
    );
    const c = s.containers.find(
      x => x.name === labels.container && (x.kind === 'app') !== init,
    );
    const expectBool = String(value === 1);
    switch (base) {
      case 'kube_pod_container_status_ready':
        return [expectBool, String(c?.ready)];
      case 'kube_pod_container_status_restarts_total':
        return [String(value), String(c?.restarts)];
      case 'kube_pod_container_status_running':
        return [expectBool, String(c?.state === 'running')];
      case 'kube_pod_container_status_waiting':
        return [expectBool, String(c?.state === 'waiting')];
      case 'kube_pod_container_status_terminated':
        return [expectBool, String(c?.state === 'terminated')];
      case 'kube_pod_container_status_waiting_reason':
      case 'kube_pod_container_status_terminated_reason':
        return [expectBool, String(c?.reason === labels.reason)];
      case 'kube_pod_container_status_last_terminated_reason':
        return [expectBool, String(c?.lastTerminatedReason === labels.reason)];
      case 'kube_pod_container_status_last_terminated_exitcode':
        return [String(value), String(c?.lastTerminatedExitCode)];
      case 'kube_pod_status_phase':
        return [expectBool, String(s.phase === labels.phase)];
      case 'kube_pod_status_reason':
        // "Other" buckets reasons KSM does not list: kubectl then shows that reason, not the phase
        if (labels.reason === 'Other')
          return [expectBool, String(s.status !== s.phase)];
        return [
          expectBool,
          String(
            s.status === labels.reason ||
              s.issues.some(i => i.reason === labels.reason),
          ),
        ];
      case 'kube_pod_status_unschedulable':
        return [
          expectBool,
          String(s.issues.some(i => i.reason === 'Unschedulable')),
        ];
      case 'kube_pod_status_ready':
        return [
          expectBool,
          String(s.podReady === (labels.condition === 'true')),
        ];
      default:
        return undefined;
    }
  }

  it('agrees with every comparable kube-state-metrics sample', () => {
    expect(cases.length).toBe(37);
    cases.forEach((c, i) => {
      const s = describe_(c.pod, atCapture(c.pod));
      for (const line of c.wantPrometheusText.split('\n')) {
        const m = SAMPLE.exec(line);
        if (!m) continue;
        const labels: Record<string, string> = {};
        for (const l of m[2].matchAll(LABEL)) labels[l[1]] = l[2];
        if (labels.condition === 'unknown') continue;
        const r = check(s, m[1], labels, Number(m[3]));
        if (r)
          report.add(
            'kube-state-metrics',
            'pod/container facts',
            `case ${i}: ${line.trim()}`,
            r[0],
            r[1],
          );
      }
    });
    expect(report.of('kube-state-metrics').length).toBeGreaterThan(60);
    expect(report.disagreements('kube-state-metrics')).toEqual([]);
  });
});

describe('popeye lint fixtures (hand-written, odd or partial statuses)', () => {
  it('never throws and keeps kubectl READY/RESTARTS for restartCount 1000', () => {
    const all: PodSummary[] = [];
    for (let i = 1; i <= 4; i++) {
      for (const pod of podsOf(
        loadYaml(`pods/popeye/lint-core-pod-${i}.yaml`),
      )) {
        all.push(describe_(pod, atCapture(pod)));
      }
    }
    expect(all.length).toBeGreaterThanOrEqual(10);
    const p4 = all.find(s => s.restarts === 1000);
    // initializing: kubectl counts only init restarts (1000), READY excludes the unready c1
    expect(p4).toMatchObject({
      status: 'Init:0/1',
      ready: '0/2',
      health: 'initializing',
    });
    for (const s of all) {
      expect(s.attention).toBeGreaterThanOrEqual(0);
      expect(s.attention).toBeLessThanOrEqual(100);
    }
  });
});
