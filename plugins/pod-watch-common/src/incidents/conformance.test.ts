/*
 * Incident conformance with other tools on their own test cases (../shared/fixtures/incidents):
 * k8sgpt's pod analyzer and Headlamp's diagnostics must flag the same pods Pod Watch raises
 * incident signals for; the is-healthy event severity table is compared with Pod Watch's rule
 * severities. Agreement is printed; documented deliberate differences are asserted so the list
 * stays true.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { describePod } from '../pods/describePod';
import { AgreementReport } from '../__testUtils__/report';
import { latestTimestamp, loadJson } from '../__testUtils__/fixtures';
import {
  IncidentEventLike,
  incidentSignalFromEvent,
  incidentSignalsFromPod,
} from './classify';
import { incidentFingerprint } from './fingerprint';
import { eventRule } from './rules';
import { rootCauseHint } from './hints';
import type { IncidentSignal, IncidentSubject } from './types';

const report = new AgreementReport();
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(
    report.format('Incident conformance: agreement with upstream labels'),
  );
});

interface KubeObject {
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string };
  [k: string]: unknown;
}

/** Evaluated as at capture time, like the pod conformance suite. */
function nowOf(o: unknown): Date {
  const t = latestTimestamp(o);
  return Number.isNaN(t)
    ? new Date('2025-01-01T00:00:30Z')
    : new Date(t + 30_000);
}

function toEvent(e: KubeObject, pod: KubeObject, i: number): IncidentEventLike {
  const ev = e as any;
  return {
    uid:
      e.metadata?.uid ?? `${pod.metadata.namespace}/${e.metadata?.name ?? i}`,
    type: ev.type,
    reason: ev.reason,
    message: ev.message,
    count: ev.count ?? 1,
    firstAt: ev.firstTimestamp ?? '2025-01-01T00:00:00Z',
    lastAt: ev.lastTimestamp ?? '2025-01-01T00:00:00Z',
    regarding: {
      kind: 'Pod',
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      uid: pod.metadata.uid,
      ...(ev.involvedObject?.fieldPath
        ? { fieldPath: ev.involvedObject.fieldPath }
        : {}),
    },
  };
}

/** Every signal Pod Watch raises for a pod and the Events about it. */
function podSignals(pod: KubeObject, events: KubeObject[]): IncidentSignal[] {
  const v1 = pod as unknown as V1Pod;
  const now = nowOf(pod);
  // sustain-only signals keep an open incident alive but never flag a pod by themselves
  const out = incidentSignalsFromPod(v1, describePod(v1, { now }), {
    now,
  }).filter(s => !s.sustainOnly);
  const containers = (v1.status?.containerStatuses ?? []).map(c => c.name);
  events.forEach((e, i) => {
    const s = incidentSignalFromEvent(toEvent(e, pod, i), { containers });
    if (s) out.push(s);
  });
  return out;
}

function incidentsOf(subject: IncidentSubject, signals: IncidentSignal[]) {
  return new Set(
    signals.map(s => incidentFingerprint(subject, s.type, s.container)),
  );
}

describe('k8sgpt pod analyzer', () => {
  interface Case {
    name: string;
    analyzerNamespace: string;
    objects: KubeObject[];
    expectedResults: Array<{ object: string; failuresCount: number }>;
  }
  const cases = loadJson<{ cases: Case[] }>(
    'incidents/k8sgpt-pod-analyzer-cases.json',
  ).cases;

  it('flags exactly the pods k8sgpt flags, in every case', () => {
    expect(cases.length).toBe(9);
    for (const c of cases) {
      const pods = c.objects.filter(
        o =>
          o.kind === 'Pod' &&
          (o.metadata.namespace ?? 'default') === c.analyzerNamespace,
      );
      const flagged: string[] = [];
      for (const pod of pods) {
        const events = c.objects.filter(
          o =>
            o.kind === 'Event' &&
            (o as any).involvedObject?.name === pod.metadata.name &&
            (o as any).involvedObject?.namespace === pod.metadata.namespace,
        );
        const signals = podSignals(pod, events);
        const id = `${pod.metadata.namespace}/${pod.metadata.name}`;
        if (signals.length === 0) continue;
        flagged.push(id);
        const expected = c.expectedResults.find(r => r.object === id);
        const subject = {
          cluster: 'c',
          namespace: pod.metadata.namespace!,
          kind: 'Pod',
          name: pod.metadata.name,
        };
        report.add(
          'k8sgpt',
          'incidents per pod (k8sgpt: failures)',
          `${c.name}: ${id}`,
          String(expected?.failuresCount ?? 0),
          String(incidentsOf(subject, signals).size),
        );
      }
      const expected = c.expectedResults.map(r => r.object).sort();
      report.add(
        'k8sgpt',
        'flagged pods',
        c.name,
        expected.join(',') || '-',
        flagged.sort().join(',') || '-',
      );
      expect(flagged.sort()).toEqual(expected);
    }
    expect(report.ratio('k8sgpt', 'flagged pods')).toBe(1);
    // the one count difference: Pod Watch also keeps a generic Warning Event (k8sgpt only reads
    // Events for ContainerCreating and not-ready containers)
    expect(
      report.disagreements('k8sgpt', 'incidents per pod (k8sgpt: failures)'),
    ).toEqual(['Container status state waiting: default/Pod1']);
  });
});

describe('Headlamp diagnostics', () => {
  interface Case {
    name: string;
    function: string;
    pod?: KubeObject;
    pods?: KubeObject[];
    events?: KubeObject[];
    workload?: KubeObject;
    expect: Record<string, any>;
  }
  const cases = loadJson<{ cases: Case[] }>(
    'incidents/headlamp-diagnostics-cases.json',
  ).cases;

  it('flags the pod Headlamp diagnoses, with the same reasons', () => {
    const podCases = cases.filter(c => c.function === 'getPodDiagnostics');
    expect(podCases.length).toBe(2);
    for (const c of podCases) {
      const signals = podSignals(c.pod!, c.events ?? []);
      expect(signals.length).toBeGreaterThan(0);
      const subject = {
        cluster: 'c',
        namespace: c.pod!.metadata.namespace!,
        kind: 'Pod',
        name: c.pod!.metadata.name,
      };
      const titles: string[] = c.expect.titlesInclude ?? [];
      for (const title of titles) {
        let m = /^Pod status: (\w+)/.exec(title);
        if (m) {
          report.add(
            'Headlamp',
            'pod status reason',
            c.name,
            m[1],
            signals.find(s => s.source === 'pod')?.reason ?? '-',
          );
        }
        m = /^Warning event: (\w+) \((\d+) times\)/.exec(title);
        if (m) {
          const ev = signals.find(s => s.source === 'event');
          report.add(
            'Headlamp',
            'warning event',
            c.name,
            `${m[1]}×${m[2]}`,
            ev ? `${ev.reason}×${ev.count}` : '-',
          );
          // the BackOff Event folds into the pod's crash-loop incident, not a second one
          report.add(
            'Headlamp',
            'incidents for pod status + its BackOff Event',
            c.name,
            '1',
            String(incidentsOf(subject, signals).size),
          );
        }
      }
      const cond = c.expect['item condition-PodScheduled'];
      if (cond) {
        const re = new RegExp(
          String(cond.messageMatches).replace(/^\/|\/i$/g, ''),
          'i',
        );
        const hint = rootCauseHint(signals[0]);
        report.add(
          'Headlamp',
          'unschedulable explanation',
          c.name,
          String(cond.messageMatches),
          hint,
          re.test(hint),
        );
      }
    }
    expect(report.ratio('Headlamp')).toBe(1);
  });

  it('groups a workload’s failing pods by reason as Headlamp does', () => {
    const c = cases.find(x => x.function === 'getWorkloadDiagnostics')!;
    const w = c.workload!;
    const subject = {
      cluster: 'c',
      namespace: w.metadata.namespace ?? 'default',
      kind: w.kind,
      name: w.metadata.name,
    };
    const podsByIncident = new Map<string, Set<string>>();
    const reasonOf = new Map<string, string>();
    for (const pod of c.pods!) {
      for (const s of podSignals(pod, [])) {
        const fp = incidentFingerprint(subject, s.type, s.container);
        podsByIncident.set(
          fp,
          (podsByIncident.get(fp) ?? new Set()).add(pod.metadata.name),
        );
        reasonOf.set(fp, s.reason);
      }
    }
    for (const title of c.expect.titlesInclude as string[]) {
      const m = /^(\d+) pods? (?:is|are) failing with (\w+)/.exec(title);
      if (!m) continue;
      const fp = [...reasonOf].find(([, r]) => r === m[2])?.[0];
      report.add(
        'Headlamp',
        'workload pods per reason',
        title,
        m[1],
        String(fp ? podsByIncident.get(fp)!.size : 0),
      );
    }
    expect(report.ratio('Headlamp', 'workload pods per reason')).toBe(1);
    expect(report.of('Headlamp', 'workload pods per reason').length).toBe(2);
  });
});

describe('is-healthy event severities', () => {
  const table = loadJson<{ severityByReason: Record<string, string> }>(
    'events/is-healthy-event-reason-severity.json',
  ).severityByReason;

  it('agrees on reason severities except where Pod Watch knows the workload is down', () => {
    for (const [reason, theirs] of Object.entries(table)) {
      const ours = eventRule(reason, '', false).severity;
      // a Warning is never "info" for Pod Watch: is-healthy's info counts as low
      report.add(
        'is-healthy',
        'event severity',
        reason,
        theirs === 'info' ? 'low' : theirs,
        ours,
      );
    }
    // raised deliberately: these reasons mean pods are not running or not starting
    expect(report.disagreements('is-healthy', 'event severity')).toEqual([
      'BackOff',
      'FailedCreatePodSandBox',
      'FailedMount',
      'FailedScheduling',
    ]);
    expect(report.ratio('is-healthy', 'event severity')).toBeGreaterThan(0.9);
  });
});
