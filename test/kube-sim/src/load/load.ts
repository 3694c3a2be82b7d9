import { KubeObject } from '../types';
import { ObjectStore } from '../store/store';
import { SimCluster } from '../scenarios/cluster';

export interface LoadPodsOptions {
  pods: number;
  namespaces: number;
  /** Namespace name prefix (namespaces are `${prefix}-0` …). */
  prefix?: string;
}

export interface ChurnOptions {
  /** Event occurrences per second (new Events and repeats that bump count). */
  eventsPerSecond: number;
  /** Share of occurrences that repeat an earlier one (aggregated into the same Event). */
  repeatRatio?: number;
  /** Pod status updates per second (restart counters, readiness flaps). */
  podUpdatesPerSecond?: number;
}

const REASONS: Array<['Normal' | 'Warning', string, string]> = [
  ['Warning', 'BackOff', 'Back-off restarting failed container app in pod'],
  [
    'Warning',
    'Unhealthy',
    'Readiness probe failed: HTTP probe failed with statuscode: 503',
  ],
  [
    'Normal',
    'Pulled',
    'Container image "registry.example.com/load/app:1.0" already present on machine',
  ],
  ['Normal', 'Started', 'Started container app'],
  [
    'Warning',
    'FailedMount',
    'MountVolume.SetUp failed for volume "config" : configmap "app-config" not found',
  ],
];

/**
 * Load generator: N running pods over M namespaces, and a steady stream of Events
 * (through the real recorder, so repeats aggregate) and pod status updates.
 */
export class LoadGenerator {
  private timer: NodeJS.Timeout | undefined;
  private pods: KubeObject[] = [];
  private emitted = 0;
  private podUpdates = 0;
  private startedAt = 0;
  private stoppedAt = 0;
  private seq = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly cluster: SimCluster,
  ) {}

  /** Creates the pods directly in Running state (no scheduler/kubelet work per pod). */
  createPods(o: LoadPodsOptions): {
    pods: number;
    namespaces: number;
    ms: number;
  } {
    const t0 = Date.now();
    const prefix = o.prefix ?? 'load';
    const nodes = this.store.listIn('core/nodes').map(n => n.metadata.name!);
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    for (let n = 0; n < o.namespaces; n++)
      this.cluster.ensureNamespace(`${prefix}-${n}`);
    for (let i = 0; i < o.pods; i++) {
      const ns = `${prefix}-${i % o.namespaces}`;
      const app = `app-${i % 50}`;
      const pod = this.store.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${app}-${i.toString(36).padStart(5, '0')}`,
          namespace: ns,
          labels: {
            app,
            'backstage.io/kubernetes-id': app,
            tier: i % 3 === 0 ? 'frontend' : 'backend',
          },
        },
        spec: {
          nodeName: nodes.length ? nodes[i % nodes.length] : 'node-1',
          containers: [
            { name: 'app', image: 'registry.example.com/load/app:1.0' },
          ],
          restartPolicy: 'Always',
        },
        status: {
          phase: 'Running',
          podIP: `10.${100 + ((i >> 16) & 0xff)}.${(i >> 8) & 0xff}.${
            i & 0xff
          }`,
          startTime: now,
          conditions: [
            {
              type: 'Initialized',
              status: 'True',
              lastProbeTime: null,
              lastTransitionTime: now,
            },
            {
              type: 'Ready',
              status: 'True',
              lastProbeTime: null,
              lastTransitionTime: now,
            },
            {
              type: 'ContainersReady',
              status: 'True',
              lastProbeTime: null,
              lastTransitionTime: now,
            },
            {
              type: 'PodScheduled',
              status: 'True',
              lastProbeTime: null,
              lastTransitionTime: now,
            },
          ],
          containerStatuses: [
            {
              name: 'app',
              image: 'registry.example.com/load/app:1.0',
              imageID: '',
              ready: true,
              started: true,
              restartCount: 0,
              state: { running: { startedAt: now } },
              lastState: {},
            },
          ],
        },
      });
      this.pods.push(pod);
    }
    return { pods: o.pods, namespaces: o.namespaces, ms: Date.now() - t0 };
  }

  /** Starts the churn (wall-clock rate, independent of timeScale). */
  startChurn(o: ChurnOptions) {
    this.stopChurn();
    const tickMs = 10;
    const repeat = o.repeatRatio ?? 0.7;
    let carryE = 0;
    let carryP = 0;
    this.startedAt = Date.now();
    this.stoppedAt = 0;
    let last = Date.now();
    this.timer = setInterval(() => {
      if (this.pods.length === 0) return;
      const nowMs = Date.now();
      const dt = (nowMs - last) / 1000;
      last = nowMs;
      carryE += o.eventsPerSecond * dt;
      carryP += (o.podUpdatesPerSecond ?? 0) * dt;
      while (carryE >= 1) {
        carryE--;
        this.seq++;
        const isRepeat = Math.random() < repeat;
        // repeats hit a small hot set so they aggregate; new ones spread over all pods
        const pod =
          this.pods[
            isRepeat
              ? this.seq % Math.min(200, this.pods.length)
              : Math.floor(Math.random() * this.pods.length)
          ];
        const [type, reason, base] = REASONS[this.seq % REASONS.length];
        const message = isRepeat ? base : `${base} (#${this.seq})`;
        this.cluster.recorder.record(pod, type, reason, message, {
          component: 'kubelet',
          host: pod.spec.nodeName,
        });
        this.emitted++;
      }
      while (carryP >= 1) {
        carryP--;
        const idx = Math.floor(Math.random() * this.pods.length);
        const p = this.pods[idx];
        try {
          this.pods[idx] = this.store.patch(
            {
              apiVersion: 'v1',
              kind: 'Pod',
              namespace: p.metadata.namespace,
              name: p.metadata.name!,
            },
            x => {
              x.status.containerStatuses[0].restartCount++;
            },
          );
          this.podUpdates++;
        } catch {
          // pod deleted by a test
        }
      }
    }, tickMs);
  }

  stopChurn() {
    if (this.timer) {
      clearInterval(this.timer);
      this.stoppedAt = Date.now();
    }
    this.timer = undefined;
  }

  stats() {
    const s = this.startedAt
      ? ((this.stoppedAt || Date.now()) - this.startedAt) / 1000
      : 0;
    return {
      pods: this.pods.length,
      eventsEmitted: this.emitted,
      podUpdates: this.podUpdates,
      seconds: s,
      eventsPerSecond: s ? this.emitted / s : 0,
    };
  }
}
