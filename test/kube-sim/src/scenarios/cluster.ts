import { createHash } from 'node:crypto';
import { KubeObject } from '../types';
import { ObjectStore, randomSuffix } from '../store/store';
import { LogStore } from '../logs/logs';
import { SimClock } from '../clock';
import { Ledger } from '../ledger/ledger';
import { EventRecorder } from './recorder';
import { LogStyle } from './loggen';
import { PodRunner } from './kubelet';
import { ref } from './refs';

/**
 * How the main container of a pod behaves once the kubelet starts it.
 * - healthy: starts, becomes Ready, logs routinely
 * - crashloop: runs `runSeconds`, crashes (exit 1), CrashLoopBackOff with doubling back-off
 * - oomkilled: like crashloop but OOMKilled / exit 137
 * - imagepull: ErrImagePull ↔ ImagePullBackOff forever
 * - configerror: CreateContainerConfigError (missing ConfigMap)
 * - unschedulable: never scheduled (FailedScheduling)
 * - initfail: the init container crashes in a loop
 * - readinessfail: runs but its readiness probe keeps failing
 * - liveness: healthy, then liveness probe fails and the kubelet kills it, repeatedly
 * - complete / fail: run-to-completion (Jobs): exit 0 or exit 1
 */
export type Behaviour =
  | 'healthy'
  | 'crashloop'
  | 'oomkilled'
  | 'imagepull'
  | 'configerror'
  | 'unschedulable'
  | 'initfail'
  | 'readinessfail'
  | 'liveness'
  | 'complete'
  | 'fail';

export interface WorkloadSpec {
  name: string;
  namespace?: string;
  replicas?: number;
  image?: string;
  behaviour?: Behaviour;
  /** Sim seconds the container runs before crashing / completing / failing liveness. */
  runSeconds?: number;
  logStyle?: LogStyle;
  /** Sim seconds between routine log lines. */
  logEverySeconds?: number;
  labels?: Record<string, string>;
  /** Also create a Service (+ EndpointSlice) selecting the pods. */
  service?: boolean;
  /** Adds a healthy sidecar container (multi-container pods). */
  sidecar?: boolean;
  /** Adds an init container. */
  initContainer?: boolean;
  /** Prefer this node while it is Ready (dedicated nodes take no other pods). */
  preferNode?: string;
}

const SCHEDULER = { component: 'default-scheduler' };

function hash(s: string) {
  // pod-template-hash: short, stable, DNS-safe
  return createHash('sha1')
    .update(s)
    .digest('hex')
    .slice(0, 10)
    .replace(/[0-9]/g, d => 'bcdfghjklm'[Number(d)]);
}

function ownerRef(o: KubeObject) {
  return {
    apiVersion: o.apiVersion!,
    kind: o.kind!,
    name: o.metadata.name!,
    uid: o.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export interface PodPlan {
  behaviour: Behaviour;
  runSeconds: number;
  logStyle: LogStyle;
  logEverySeconds: number;
  app: string;
  preferNode?: string;
}

/**
 * A tiny controller manager + scheduler + kubelet. Scenarios create workloads; the
 * reconcilers here move them through their lifecycles, write Events through the
 * recorder and container output into the log store.
 */
export class SimCluster {
  readonly recorder: EventRecorder;
  private readonly plans = new Map<string, PodPlan>(); // by owner uid (RS/Job) or pod uid
  private readonly runners = new Map<string, PodRunner>(); // by pod uid
  private readonly pendingReconcile = new Map<string, () => void>();
  private reconcileScheduled = false;
  private nodeRr = 0;
  private readonly lostNodes = new Set<string>();
  private ipSeq = 10;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(
    readonly store: ObjectStore,
    readonly logs: LogStore,
    readonly clock: SimClock,
    readonly ledger: Ledger,
    options: { eventTtlSeconds?: number } = {},
  ) {
    this.recorder = new EventRecorder(store, clock, ledger);
    // the apiserver deletes Events after --event-ttl (1 h by default); keeps memory bounded too
    const ttlMs = (options.eventTtlSeconds ?? 3600) * 1000;
    this.clock.every(Math.min(60000, ttlMs / 4), () =>
      this.expireEvents(ttlMs),
    );
    this.unsubscribe = store.subscribe(e => {
      if (this.closed) return;
      const o = e.object;
      if (e.storage === 'core/pods') {
        if (e.type === 'DELETED') {
          this.runners.get(o.metadata.uid!)?.stop();
          this.runners.delete(o.metadata.uid!);
          this.logs.removePod(o.metadata.namespace!, o.metadata.name!);
        }
        const owner = o.metadata.ownerReferences?.find(r => r.controller);
        if (owner?.kind === 'ReplicaSet')
          this.queue(`rs:${o.metadata.namespace}/${owner.name}`, () =>
            this.reconcileRs(o.metadata.namespace!, owner.name),
          );
        if (owner?.kind === 'Job')
          this.queue(`job:${o.metadata.namespace}/${owner.name}`, () =>
            this.reconcileJob(o.metadata.namespace!, owner.name),
          );
        if (owner?.kind === 'StatefulSet' || owner?.kind === 'DaemonSet')
          this.queue(
            `set:${owner.kind}:${o.metadata.namespace}/${owner.name}`,
            () =>
              this.reconcileSet(owner.kind, o.metadata.namespace!, owner.name),
          );
        this.queue(`eps:${o.metadata.namespace}`, () =>
          this.reconcileEndpoints(o.metadata.namespace!),
        );
        if (e.type === 'ADDED' && !o.spec?.nodeName)
          this.queue(`sched:${o.metadata.uid}`, () =>
            this.schedule(o.metadata.namespace!, o.metadata.name!),
          );
      } else if (e.storage === 'apps/replicasets') {
        this.queue(`rs:${o.metadata.namespace}/${o.metadata.name}`, () =>
          this.reconcileRs(o.metadata.namespace!, o.metadata.name!),
        );
        const owner = o.metadata.ownerReferences?.find(r => r.controller);
        if (owner?.kind === 'Deployment')
          this.queue(`deploy:${o.metadata.namespace}/${owner.name}`, () =>
            this.reconcileDeployment(o.metadata.namespace!, owner.name),
          );
      } else if (e.storage === 'apps/deployments' && e.type !== 'DELETED') {
        this.queue(`deploy:${o.metadata.namespace}/${o.metadata.name}`, () =>
          this.reconcileDeployment(o.metadata.namespace!, o.metadata.name!),
        );
      } else if (
        (e.storage === 'apps/statefulsets' ||
          e.storage === 'apps/daemonsets') &&
        e.type !== 'DELETED'
      ) {
        this.queue(
          `set:${o.kind}:${o.metadata.namespace}/${o.metadata.name}`,
          () =>
            this.reconcileSet(o.kind!, o.metadata.namespace!, o.metadata.name!),
        );
      } else if (e.storage === 'batch/jobs' && e.type === 'ADDED') {
        this.queue(`job:${o.metadata.namespace}/${o.metadata.name}`, () =>
          this.reconcileJob(o.metadata.namespace!, o.metadata.name!),
        );
      }
    });
  }

  private expireEvents(ttlMs: number) {
    if (this.store.count('core/events') === 0) return;
    const cutoff = this.clock.now() - ttlMs;
    for (const e of this.store.listIn('core/events')) {
      const last =
        e.series?.lastObservedTime ??
        e.lastTimestamp ??
        e.eventTime ??
        e.metadata.creationTimestamp;
      if (last && Date.parse(last) < cutoff) {
        this.store.delete({
          apiVersion: 'v1',
          kind: 'Event',
          namespace: e.metadata.namespace,
          name: e.metadata.name!,
        });
        this.recorder.forget(e.metadata.namespace!, e.metadata.name!);
      }
    }
  }

  close() {
    this.closed = true;
    this.unsubscribe();
    for (const r of this.runners.values()) r.stop();
    this.runners.clear();
  }

  /** Coalesces reconciles (like a workqueue): each key runs once per turn. */
  private queue(key: string, fn: () => void) {
    this.pendingReconcile.set(key, fn);
    if (this.reconcileScheduled) return;
    this.reconcileScheduled = true;
    this.clock.wallAfter(0, () => {
      this.reconcileScheduled = false;
      const work = [...this.pendingReconcile.values()];
      this.pendingReconcile.clear();
      for (const w of work) {
        try {
          w();
        } catch {
          // objects can vanish between queueing and running; the next event requeues
        }
      }
    });
  }

  // ---------------------------------------------------------------- basics

  ensureNamespace(name: string) {
    if (this.store.getIn('core/namespaces', undefined, name)) return;
    this.store.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }

  /** Adds a Ready node; a dedicated node only runs pods that prefer it. */
  addNode(name: string, options: { dedicated?: boolean } = {}) {
    const now = this.clock.nowIso();
    const cond = (
      type: string,
      status: string,
      reason: string,
      message: string,
    ) => ({
      type,
      status,
      lastHeartbeatTime: now,
      lastTransitionTime: now,
      reason,
      message,
    });
    return this.store.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'node.kubernetes.io/instance-type': 'sim.large',
          ...(options.dedicated ? { 'kube-sim.io/dedicated': 'true' } : {}),
        },
      },
      spec: { podCIDR: `10.244.${this.nodeCount()}.0/24` },
      status: {
        capacity: { cpu: '4', memory: '16331976Ki', pods: '110' },
        allocatable: { cpu: '3800m', memory: '15129544Ki', pods: '110' },
        conditions: [
          cond(
            'MemoryPressure',
            'False',
            'KubeletHasSufficientMemory',
            'kubelet has sufficient memory available',
          ),
          cond(
            'DiskPressure',
            'False',
            'KubeletHasNoDiskPressure',
            'kubelet has no disk pressure',
          ),
          cond(
            'PIDPressure',
            'False',
            'KubeletHasSufficientPID',
            'kubelet has sufficient PID available',
          ),
          cond(
            'Ready',
            'True',
            'KubeletReady',
            'kubelet is posting ready status',
          ),
        ],
        addresses: [
          { type: 'InternalIP', address: `172.18.0.${10 + this.nodeCount()}` },
          { type: 'Hostname', address: name },
        ],
        nodeInfo: {
          kubeletVersion: 'v1.32.4',
          containerRuntimeVersion: 'containerd://1.7.24',
          osImage: 'Debian GNU/Linux 12 (bookworm)',
          kernelVersion: '6.1.0-28-amd64',
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
      },
    });
  }

  private nodeCount() {
    return this.store.count('core/nodes');
  }

  private readyNodes(includeDedicated = false): string[] {
    return this.store
      .listIn('core/nodes')
      .filter(
        n => !this.lostNodes.has(n.metadata.name!) && !n.spec?.unschedulable,
      )
      .filter(
        n => includeDedicated || !n.metadata.labels?.['kube-sim.io/dedicated'],
      )
      .map(n => n.metadata.name!);
  }

  // ---------------------------------------------------------------- workloads

  private podTemplate(spec: WorkloadSpec, labels: Record<string, string>) {
    const image = spec.image ?? `registry.example.com/shop/${spec.name}:1.4.2`;
    const containers: any[] = [
      {
        name: 'app',
        image,
        ports: [{ containerPort: 8080, protocol: 'TCP' }],
        resources: {
          requests: { cpu: '100m', memory: '128Mi' },
          limits: { memory: '256Mi' },
        },
        readinessProbe: {
          httpGet: { path: '/ready', port: 8080 },
          periodSeconds: 10,
          failureThreshold: 3,
        },
        livenessProbe: {
          httpGet: { path: '/healthz', port: 8080 },
          periodSeconds: 10,
          failureThreshold: 3,
        },
        ...(spec.behaviour === 'configerror'
          ? { envFrom: [{ configMapRef: { name: `${spec.name}-config` } }] }
          : {}),
      },
    ];
    if (spec.sidecar) {
      containers.push({
        name: 'proxy',
        image: 'registry.example.com/envoy:1.31',
        ports: [{ containerPort: 15001 }],
      });
    }
    return {
      metadata: { labels },
      spec: {
        ...(spec.initContainer || spec.behaviour === 'initfail'
          ? {
              initContainers: [
                {
                  name: 'migrate',
                  image: `${image.replace(/:.*/, '')}-migrate:1.4.2`,
                },
              ],
            }
          : {}),
        containers,
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        // what admission and defaulting add on a real cluster
        dnsPolicy: 'ClusterFirst',
        schedulerName: 'default-scheduler',
        serviceAccountName: 'default',
        enableServiceLinks: true,
        tolerations: [
          {
            key: 'node.kubernetes.io/not-ready',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 300,
          },
          {
            key: 'node.kubernetes.io/unreachable',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 300,
          },
        ],
        ...(spec.behaviour === 'unschedulable'
          ? { nodeSelector: { 'example.com/gpu': 'a100' } }
          : {}),
      },
    };
  }

  private planFor(spec: WorkloadSpec): PodPlan {
    return {
      behaviour: spec.behaviour ?? 'healthy',
      runSeconds: spec.runSeconds ?? 20,
      logStyle: spec.logStyle ?? 'plain',
      logEverySeconds: spec.logEverySeconds ?? 5,
      app: spec.name,
      preferNode: spec.preferNode,
    };
  }

  /** Deployment → ReplicaSet → Pods (the controllers take it from there). */
  deployment(spec: WorkloadSpec): KubeObject {
    const ns = spec.namespace ?? 'default';
    this.ensureNamespace(ns);
    const labels = {
      app: spec.name,
      'backstage.io/kubernetes-id': spec.name,
      ...(spec.labels ?? {}),
    };
    const d = this.store.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: spec.name,
        namespace: ns,
        labels,
        annotations: { 'deployment.kubernetes.io/revision': '1' },
      },
      spec: {
        replicas: spec.replicas ?? 1,
        selector: { matchLabels: { app: spec.name } },
        template: this.podTemplate(spec, labels),
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
        },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {},
    });
    this.plans.set(`deploy:${d.metadata.uid}`, this.planFor(spec));
    if (spec.service) this.service(spec.name, ns, { app: spec.name }, labels);
    return d;
  }

  /** Changes a Deployment's pod template (a rollout); behaviour of the new pods optional. */
  rollout(
    namespace: string,
    name: string,
    change: { image?: string; behaviour?: Behaviour },
  ) {
    const d = this.store.patch(
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name },
      o => {
        const c = o.spec.template.spec.containers[0];
        c.image =
          change.image ??
          c.image.replace(/:(.*)$/, (_m: string, v: string) => `:${v}-next`);
        const rev =
          Number(
            o.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 1,
          ) + 1;
        o.metadata.annotations = {
          ...(o.metadata.annotations ?? {}),
          'deployment.kubernetes.io/revision': String(rev),
        };
      },
    );
    if (change.behaviour) {
      const p = this.plans.get(`deploy:${d.metadata.uid}`);
      if (p)
        this.plans.set(
          `deploy:${d.metadata.uid}:${hash(JSON.stringify(d.spec.template))}`,
          { ...p, behaviour: change.behaviour },
        );
    }
    return d;
  }

  scale(namespace: string, name: string, replicas: number) {
    return this.store.patch(
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name },
      o => {
        o.spec.replicas = replicas;
      },
    );
  }

  service(
    name: string,
    namespace: string,
    selector: Record<string, string>,
    labels: Record<string, string> = {},
  ) {
    this.ensureNamespace(namespace);
    const svc = this.store.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace, labels },
      spec: {
        selector,
        type: 'ClusterIP',
        clusterIP: `10.96.${Math.floor(Math.random() * 250)}.${
          Math.floor(Math.random() * 250) + 1
        }`,
        ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
      },
      status: { loadBalancer: {} },
    });
    this.store.create({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: `${name}-${randomSuffix(5)}`,
        namespace,
        labels: {
          'kubernetes.io/service-name': name,
          'endpointslice.kubernetes.io/managed-by':
            'endpointslice-controller.k8s.io',
          ...labels,
        },
        ownerReferences: [{ ...ownerRef(svc), blockOwnerDeletion: true }],
      },
      addressType: 'IPv4',
      endpoints: [],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
    this.queue(`eps:${namespace}`, () => this.reconcileEndpoints(namespace));
    return svc;
  }

  /** A Job whose pods complete (or fail until backoffLimit). */
  job(
    spec: WorkloadSpec & { completions?: number; backoffLimit?: number },
  ): KubeObject {
    const ns = spec.namespace ?? 'default';
    this.ensureNamespace(ns);
    const labels = {
      'backstage.io/kubernetes-id': spec.name,
      'job-name': spec.name,
      ...(spec.labels ?? {}),
    };
    const tmpl = this.podTemplate(
      { ...spec, behaviour: spec.behaviour ?? 'complete' },
      labels,
    );
    tmpl.spec.restartPolicy = 'Never';
    const j = this.store.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: spec.name, namespace: ns, labels },
      spec: {
        completions: spec.completions ?? 1,
        parallelism: 1,
        backoffLimit: spec.backoffLimit ?? 2,
        template: tmpl,
      },
      status: { startTime: this.clock.nowIso(), active: 0 },
    });
    this.plans.set(j.metadata.uid!, {
      ...this.planFor(spec),
      behaviour: spec.behaviour ?? 'complete',
      runSeconds: spec.runSeconds ?? 10,
    });
    return j;
  }

  // ---------------------------------------------------------------- controllers

  private podsOwnedBy(namespace: string, uid: string) {
    return this.store
      .listIn('core/pods', namespace)
      .filter(p => p.metadata.ownerReferences?.some(r => r.uid === uid));
  }

  private isActive(p: KubeObject) {
    return (
      !p.metadata.deletionTimestamp &&
      !['Succeeded', 'Failed'].includes(p.status?.phase)
    );
  }

  private isReady(p: KubeObject) {
    return (p.status?.conditions ?? []).some(
      (c: any) => c.type === 'Ready' && c.status === 'True',
    );
  }

  private createPodFor(
    owner: KubeObject,
    template: any,
    plan: PodPlan,
    name?: string,
  ): KubeObject {
    const labels = { ...(template.metadata?.labels ?? {}) };
    const pod = this.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...(name ? {} : { generateName: `${owner.metadata.name}-` }),
        name: name ?? `${owner.metadata.name}-${randomSuffix(5)}`,
        namespace: owner.metadata.namespace,
        labels,
        ownerReferences: [ownerRef(owner)],
      },
      spec: structuredClone(template.spec),
      status: { phase: 'Pending', qosClass: 'Burstable' },
    });
    this.plans.set(pod.metadata.uid!, plan);
    const controller: Record<string, string> = {
      Job: 'job-controller',
      StatefulSet: 'statefulset-controller',
      DaemonSet: 'daemonset-controller',
    };
    this.recorder.record(
      owner,
      'Normal',
      'SuccessfulCreate',
      owner.kind === 'StatefulSet'
        ? `create Pod ${pod.metadata.name} in StatefulSet ${owner.metadata.name} successful`
        : `Created pod: ${pod.metadata.name}`,
      { component: controller[owner.kind!] ?? 'replicaset-controller' },
    );
    return pod;
  }

  /** A StatefulSet (ordinal pods, OrderedReady) or a DaemonSet (one pod per node). */
  statefulSet(spec: WorkloadSpec): KubeObject {
    return this.podSet('StatefulSet', spec);
  }

  daemonSet(spec: WorkloadSpec): KubeObject {
    return this.podSet('DaemonSet', spec);
  }

  private podSet(kind: 'StatefulSet' | 'DaemonSet', spec: WorkloadSpec) {
    const ns = spec.namespace ?? 'default';
    this.ensureNamespace(ns);
    const labels = {
      app: spec.name,
      'backstage.io/kubernetes-id': spec.name,
      ...(spec.labels ?? {}),
    };
    const o = this.store.create({
      apiVersion: 'apps/v1',
      kind,
      metadata: { name: spec.name, namespace: ns, labels },
      spec: {
        ...(kind === 'StatefulSet'
          ? {
              replicas: spec.replicas ?? 1,
              serviceName: spec.name,
              podManagementPolicy: 'OrderedReady',
            }
          : {}),
        selector: { matchLabels: { app: spec.name } },
        template: this.podTemplate(spec, labels),
        updateStrategy: { type: 'RollingUpdate' },
      },
      status: {},
    });
    this.plans.set(o.metadata.uid!, this.planFor(spec));
    if (spec.service) this.service(spec.name, ns, { app: spec.name }, labels);
    return o;
  }

  private reconcileSet(kind: string, namespace: string, name: string) {
    const storage =
      kind === 'StatefulSet' ? 'apps/statefulsets' : 'apps/daemonsets';
    const set = this.store.getIn(storage, namespace, name);
    if (!set) return;
    const plan = this.plans.get(set.metadata.uid!) ?? this.planFor({ name });
    const pods = this.podsOwnedBy(namespace, set.metadata.uid!);
    const active = pods.filter(p => this.isActive(p));
    const ready = active.filter(p => this.isReady(p)).length;
    const now = this.clock.nowIso();
    if (kind === 'StatefulSet') {
      const desired = set.spec.replicas ?? 1;
      // OrderedReady: the next ordinal starts only when all before it are Ready
      for (let i = 0; i < desired; i++) {
        const podName = `${name}-${i}`;
        const existing = pods.find(p => p.metadata.name === podName);
        if (existing) {
          if (!this.isActive(existing) || !this.isReady(existing)) break;
          continue;
        }
        const tmpl = structuredClone(set.spec.template);
        tmpl.metadata.labels = {
          ...tmpl.metadata.labels,
          'statefulset.kubernetes.io/pod-name': podName,
          'apps.kubernetes.io/pod-index': String(i),
        };
        tmpl.spec.hostname = podName;
        tmpl.spec.subdomain = set.spec.serviceName;
        this.createPodFor(set, tmpl, plan, podName);
        break;
      }
      const revision = `${name}-${hash(JSON.stringify(set.spec.template))}`;
      this.writeStatus(
        set,
        {
          observedGeneration: set.metadata.generation,
          replicas: active.length,
          readyReplicas: ready,
          currentReplicas: active.length,
          updatedReplicas: active.length,
          availableReplicas: ready,
          currentRevision: revision,
          updateRevision: revision,
          collisionCount: 0,
        },
        now,
      );
      return;
    }
    const nodes = this.store
      .listIn('core/nodes')
      .filter(n => !this.lostNodes.has(n.metadata.name!))
      .map(n => n.metadata.name!);
    for (const node of nodes) {
      if (
        pods.some(
          p =>
            p.spec.nodeName === node ||
            this.plans.get(p.metadata.uid!)?.preferNode === node,
        )
      )
        continue;
      this.createPodFor(set, set.spec.template, { ...plan, preferNode: node });
    }
    this.writeStatus(
      set,
      {
        observedGeneration: set.metadata.generation,
        desiredNumberScheduled: nodes.length,
        currentNumberScheduled: active.length,
        numberReady: ready,
        numberAvailable: ready,
        updatedNumberScheduled: active.length,
        numberMisscheduled: 0,
        ...(nodes.length - ready > 0
          ? { numberUnavailable: nodes.length - ready }
          : {}),
      },
      now,
    );
  }

  private reconcileDeployment(namespace: string, name: string) {
    const d = this.store.getIn('apps/deployments', namespace, name);
    if (!d) return;
    const planBase =
      this.plans.get(`deploy:${d.metadata.uid}`) ?? this.planFor({ name });
    const tHash = hash(JSON.stringify(d.spec.template));
    const plan =
      this.plans.get(`deploy:${d.metadata.uid}:${tHash}`) ?? planBase;
    const rss = this.store
      .listIn('apps/replicasets', namespace)
      .filter(rs =>
        rs.metadata.ownerReferences?.some(r => r.uid === d.metadata.uid),
      );
    let newRs = rss.find(
      rs => rs.metadata.labels?.['pod-template-hash'] === tHash,
    );
    const desired = d.spec.replicas ?? 1;
    if (!newRs) {
      const labels = {
        ...d.spec.template.metadata.labels,
        'pod-template-hash': tHash,
      };
      newRs = this.store.create({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${name}-${tHash}`,
          namespace,
          labels,
          annotations: {
            'deployment.kubernetes.io/revision':
              d.metadata.annotations?.['deployment.kubernetes.io/revision'] ??
              '1',
            'deployment.kubernetes.io/desired-replicas': String(desired),
          },
          ownerReferences: [ownerRef(d)],
        },
        spec: {
          replicas: 0,
          selector: {
            matchLabels: {
              ...d.spec.selector.matchLabels,
              'pod-template-hash': tHash,
            },
          },
          template: { ...d.spec.template, metadata: { labels } },
        },
        status: { replicas: 0 },
      });
      this.plans.set(newRs.metadata.uid!, plan);
    }
    const olds = rss.filter(rs => rs !== newRs && (rs.spec.replicas ?? 0) > 0);
    const setReplicas = (rs: KubeObject, n: number) => {
      const before = rs.spec.replicas ?? 0;
      if (before === n) return;
      this.store.patch(ref(rs), o => {
        o.spec.replicas = n;
      });
      this.recorder.record(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${n > before ? 'up' : 'down'} replica set ${
          rs.metadata.name
        } from ${before} to ${n}`,
        { component: 'deployment-controller' },
      );
    };
    // rolling update with maxSurge 1 / maxUnavailable 0
    const oldTotal = olds.reduce((a, rs) => a + (rs.spec.replicas ?? 0), 0);
    const newReplicas = newRs.spec.replicas ?? 0;
    if (olds.length === 0) setReplicas(newRs, desired);
    else if (newReplicas < desired && newReplicas + oldTotal < desired + 1) {
      setReplicas(newRs, Math.min(desired, desired + 1 - oldTotal));
    }
    const newPods = this.podsOwnedBy(namespace, newRs.metadata.uid!);
    const newReady = newPods.filter(
      p => this.isActive(p) && this.isReady(p),
    ).length;
    let canRemove = newReady + oldTotal - desired;
    for (const rs of olds) {
      if (canRemove <= 0) break;
      const n = Math.min(canRemove, rs.spec.replicas ?? 0);
      setReplicas(rs, (rs.spec.replicas ?? 0) - n);
      canRemove -= n;
    }
    // status
    const all = rss
      .flatMap(rs => this.podsOwnedBy(namespace, rs.metadata.uid!))
      .filter(p => this.isActive(p));
    const ready = all.filter(p => this.isReady(p)).length;
    const updated = newPods.filter(p => this.isActive(p)).length;
    const now = this.clock.nowIso();
    const available = ready >= desired;
    const status = {
      observedGeneration: d.metadata.generation,
      replicas: all.length,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(all.length - ready > 0
        ? { unavailableReplicas: Math.max(0, desired - ready) }
        : {}),
      conditions: [
        {
          type: 'Available',
          status: available ? 'True' : 'False',
          reason: available
            ? 'MinimumReplicasAvailable'
            : 'MinimumReplicasUnavailable',
          message: available
            ? 'Deployment has minimum availability.'
            : 'Deployment does not have minimum availability.',
        },
        {
          type: 'Progressing',
          status: 'True',
          reason:
            updated === desired && oldTotal === 0 && available
              ? 'NewReplicaSetAvailable'
              : 'ReplicaSetUpdated',
          message:
            updated === desired && oldTotal === 0 && available
              ? `ReplicaSet "${newRs.metadata.name}" has successfully progressed.`
              : `ReplicaSet "${newRs.metadata.name}" is progressing.`,
        },
      ],
    };
    this.writeStatus(d, status, now);
  }

  /** Writes status only when it changed (no reconcile loops), keeping condition times stable. */
  private writeStatus(o: KubeObject, status: any, now: string) {
    const prev = o.status ?? {};
    const conds = (status.conditions ?? []).map((c: any) => {
      const old = (prev.conditions ?? []).find((x: any) => x.type === c.type);
      const same = old && old.status === c.status && old.reason === c.reason;
      return {
        ...c,
        lastUpdateTime: same ? old.lastUpdateTime ?? now : now,
        lastTransitionTime:
          old && old.status === c.status ? old.lastTransitionTime : now,
      };
    });
    const next = {
      ...status,
      ...(status.conditions ? { conditions: conds } : {}),
    };
    const strip = (s: any) =>
      JSON.stringify({
        ...s,
        conditions: (s.conditions ?? []).map((c: any) => ({
          type: c.type,
          status: c.status,
          reason: c.reason,
          message: c.message,
        })),
      });
    if (strip(prev) === strip(next)) return;
    this.store.patch(ref(o), x => {
      x.status = next;
    });
  }

  private reconcileRs(namespace: string, name: string) {
    const rs = this.store.getIn('apps/replicasets', namespace, name);
    if (!rs) return;
    const plan = this.plans.get(rs.metadata.uid!) ?? this.planFor({ name });
    const pods = this.podsOwnedBy(namespace, rs.metadata.uid!);
    const active = pods.filter(p => this.isActive(p));
    const desired = rs.spec.replicas ?? 0;
    for (let i = active.length; i < desired; i++)
      this.createPodFor(rs, rs.spec.template, plan);
    if (active.length > desired) {
      // delete not-ready pods first, like the ReplicaSet controller's ranking
      const victims = [...active]
        .sort((a, b) => Number(this.isReady(a)) - Number(this.isReady(b)))
        .slice(0, active.length - desired);
      for (const v of victims) {
        this.terminatePod(v);
        this.recorder.record(
          rs,
          'Normal',
          'SuccessfulDelete',
          `Deleted pod: ${v.metadata.name}`,
          { component: 'replicaset-controller' },
        );
      }
    }
    const ready = active.filter(p => this.isReady(p)).length;
    this.writeStatus(
      rs,
      {
        replicas: Math.min(active.length, Math.max(desired, active.length)),
        fullyLabeledReplicas: active.length,
        readyReplicas: ready,
        availableReplicas: ready,
        observedGeneration: rs.metadata.generation,
      },
      this.clock.nowIso(),
    );
    const owner = rs.metadata.ownerReferences?.find(r => r.controller);
    if (owner)
      this.queue(`deploy:${namespace}/${owner.name}`, () =>
        this.reconcileDeployment(namespace, owner.name),
      );
  }

  private reconcileJob(namespace: string, name: string) {
    const job = this.store.getIn('batch/jobs', namespace, name);
    if (!job) return;
    if (
      (job.status?.conditions ?? []).some(
        (c: any) =>
          ['Complete', 'Failed'].includes(c.type) && c.status === 'True',
      )
    )
      return;
    const plan =
      this.plans.get(job.metadata.uid!) ??
      this.planFor({ name, behaviour: 'complete' });
    const pods = this.podsOwnedBy(namespace, job.metadata.uid!);
    const succeeded = pods.filter(p => p.status?.phase === 'Succeeded').length;
    const failed = pods.filter(p => p.status?.phase === 'Failed').length;
    const active = pods.filter(p => this.isActive(p)).length;
    const now = this.clock.nowIso();
    const completions = job.spec.completions ?? 1;
    if (succeeded >= completions) {
      this.writeStatus(
        job,
        {
          ...job.status,
          active: 0,
          succeeded,
          failed,
          ready: 0,
          completionTime: now,
          conditions: [
            {
              type: 'SuccessCriteriaMet',
              status: 'True',
              reason: 'CompletionsReached',
              message: 'Reached expected number of succeeded pods',
            },
            {
              type: 'Complete',
              status: 'True',
              reason: 'CompletionsReached',
              message: 'Reached expected number of succeeded pods',
            },
          ],
        },
        now,
      );
      this.recorder.record(job, 'Normal', 'Completed', 'Job completed', {
        component: 'job-controller',
      });
      return;
    }
    if (failed > (job.spec.backoffLimit ?? 6)) {
      this.writeStatus(
        job,
        {
          ...job.status,
          active: 0,
          succeeded,
          failed,
          ready: 0,
          conditions: [
            {
              type: 'FailureTarget',
              status: 'True',
              reason: 'BackoffLimitExceeded',
              message: 'Job has reached the specified backoff limit',
            },
            {
              type: 'Failed',
              status: 'True',
              reason: 'BackoffLimitExceeded',
              message: 'Job has reached the specified backoff limit',
            },
          ],
        },
        now,
      );
      this.recorder.record(
        job,
        'Warning',
        'BackoffLimitExceeded',
        'Job has reached the specified backoff limit',
        { component: 'job-controller' },
      );
      return;
    }
    if (active === 0) {
      // the job controller backs off 10s, 20s, … before replacing a failed pod
      const delay = failed > 0 ? 10000 * 2 ** (failed - 1) : 0;
      const create = () => {
        const j = this.store.getIn('batch/jobs', namespace, name);
        if (
          j &&
          this.podsOwnedBy(namespace, j.metadata.uid!).filter(p =>
            this.isActive(p),
          ).length === 0
        )
          this.createPodFor(j, j.spec.template, plan);
      };
      if (delay) this.clock.after(delay, create);
      else create();
    }
    this.writeStatus(
      job,
      {
        ...job.status,
        active,
        succeeded,
        failed,
        ready: pods.filter(p => this.isActive(p) && this.isReady(p)).length,
        ...(failed ? {} : {}),
      },
      now,
    );
  }

  private reconcileEndpoints(namespace: string) {
    const slices = this.store.listIn(
      'discovery.k8s.io/endpointslices',
      namespace,
    );
    for (const svc of this.store.listIn('core/services', namespace)) {
      const slice = slices.find(
        s =>
          s.metadata.labels?.['kubernetes.io/service-name'] ===
          svc.metadata.name,
      );
      if (!slice) continue;
      const sel = svc.spec?.selector ?? {};
      const pods = this.store
        .listIn('core/pods', namespace)
        .filter(p =>
          Object.entries(sel).every(([k, v]) => p.metadata.labels?.[k] === v),
        )
        .filter(
          p =>
            p.status?.podIP &&
            !['Succeeded', 'Failed'].includes(p.status?.phase),
        );
      const endpoints = pods.map(p => {
        const terminating = !!p.metadata.deletionTimestamp;
        const ready = this.isReady(p);
        return {
          addresses: [p.status.podIP],
          conditions: {
            ready: ready && !terminating,
            serving: ready,
            terminating,
          },
          nodeName: p.spec.nodeName,
          targetRef: {
            kind: 'Pod',
            namespace,
            name: p.metadata.name,
            uid: p.metadata.uid,
          },
        };
      });
      if (JSON.stringify(endpoints) === JSON.stringify(slice.endpoints ?? []))
        continue;
      this.store.patch(ref(slice), s => {
        s.endpoints = endpoints;
      });
    }
  }

  // ---------------------------------------------------------------- scheduler + kubelet

  private schedule(namespace: string, name: string) {
    const pod = this.store.getIn('core/pods', namespace, name);
    if (!pod || pod.spec.nodeName || pod.metadata.deletionTimestamp) return;
    const plan =
      this.plans.get(pod.metadata.uid!) ??
      this.planFor({ name: pod.metadata.labels?.app ?? name });
    const nodes = this.readyNodes();
    const total = this.store.count('core/nodes');
    if (plan.behaviour === 'unschedulable' || nodes.length === 0) {
      const msg =
        plan.behaviour === 'unschedulable'
          ? `0/${total} nodes are available: ${total} node(s) didn't match Pod's node affinity/selector. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`
          : `0/${total} nodes are available: ${total} node(s) had untolerated taint {node.kubernetes.io/unreachable: }. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
      const p = this.store.patch(ref(pod), o => {
        o.status = {
          ...o.status,
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              lastProbeTime: null,
              lastTransitionTime:
                o.status?.conditions?.[0]?.lastTransitionTime ??
                this.clock.nowIso(),
              reason: 'Unschedulable',
              message: msg,
            },
          ],
        };
      });
      this.recorder.record(p, 'Warning', 'FailedScheduling', msg, SCHEDULER, {
        series: true,
        action: 'Scheduling',
      });
      // the scheduler retries unschedulable pods periodically (backoff up to 5 min; 30 s here)
      this.clock.after(30000, () => this.schedule(namespace, name));
      return;
    }
    const node =
      plan.preferNode && this.readyNodes(true).includes(plan.preferNode)
        ? plan.preferNode
        : nodes[this.nodeRr++ % nodes.length];
    const p = this.store.patch(ref(pod), o => {
      o.spec.nodeName = node;
      o.status = {
        ...o.status,
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'True',
            lastProbeTime: null,
            lastTransitionTime: this.clock.nowIso(),
          },
        ],
      };
    });
    this.recorder.record(
      p,
      'Normal',
      'Scheduled',
      `Successfully assigned ${namespace}/${name} to ${node}`,
      SCHEDULER,
      { series: true, action: 'Binding' },
    );
    const runner = new PodRunner(this, p, plan, this.nextIp());
    this.runners.set(p.metadata.uid!, runner);
    runner.start();
  }

  private nextIp() {
    this.ipSeq++;
    return `10.244.${Math.floor(this.ipSeq / 250) % 250}.${
      (this.ipSeq % 250) + 1
    }`;
  }

  /** Graceful deletion: Terminating now, gone after the grace period (sim time). */
  terminatePod(pod: KubeObject, graceSeconds?: number): KubeObject | undefined {
    if (pod.metadata.deletionTimestamp) return pod;
    const grace = graceSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    const nodeLost =
      pod.spec?.nodeName && this.lostNodes.has(pod.spec.nodeName);
    const p = this.store.patch(ref(pod), o => {
      o.metadata.deletionTimestamp = new Date(this.clock.now() + grace * 1000)
        .toISOString()
        .replace(/\.\d+Z$/, 'Z');
      o.metadata.deletionGracePeriodSeconds = grace;
    });
    const runner = this.runners.get(pod.metadata.uid!);
    if (nodeLost) return p; // nobody is there to confirm: stays Terminating
    if (runner) runner.terminate(grace);
    else {
      this.clock.after(Math.min(grace, 2) * 1000, () => {
        try {
          this.store.delete(ref(p));
        } catch {
          // already gone
        }
      });
    }
    return p;
  }

  /** Kubelet eviction under memory pressure: the pod fails with reason Evicted. */
  evict(namespace: string, name: string) {
    const pod = this.store.getIn('core/pods', namespace, name);
    if (!pod) return;
    const r = this.runners.get(pod.metadata.uid!);
    r?.evict();
  }

  /** The node stops reporting: NotReady/Unknown, pods lose readiness, then get evicted (stuck Terminating). */
  loseNode(nodeName: string, options: { evictAfterSeconds?: number } = {}) {
    this.lostNodes.add(nodeName);
    const now = this.clock.nowIso();
    const node = this.store.patch(
      { apiVersion: 'v1', kind: 'Node', name: nodeName },
      n => {
        n.status.conditions = n.status.conditions.map((c: any) => ({
          ...c,
          status: 'Unknown',
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
          lastTransitionTime: now,
        }));
        n.spec.taints = [
          {
            key: 'node.kubernetes.io/unreachable',
            effect: 'NoSchedule',
            timeAdded: now,
          },
          {
            key: 'node.kubernetes.io/unreachable',
            effect: 'NoExecute',
            timeAdded: now,
          },
        ];
      },
    );
    this.recorder.record(
      node,
      'Normal',
      'NodeNotReady',
      `Node ${nodeName} status is now: NodeNotReady`,
      { component: 'node-controller' },
    );
    const pods = this.store
      .listIn('core/pods')
      .filter(p => p.spec?.nodeName === nodeName);
    for (const p of pods) {
      this.runners.get(p.metadata.uid!)?.stop();
      this.runners.delete(p.metadata.uid!);
      const up = this.store.patch(ref(p), o => {
        o.status.conditions = (o.status.conditions ?? []).map((c: any) =>
          c.type === 'Ready'
            ? {
                ...c,
                status: 'False',
                lastTransitionTime: now,
                reason: undefined,
              }
            : c,
        );
        o.status.conditions.push({
          type: 'DisruptionTarget',
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: now,
          reason: 'DeletionByTaintManager',
          message: 'Taint manager: deleting due to NoExecute taint',
        });
        for (const cs of o.status.containerStatuses ?? []) cs.ready = false;
      });
      this.recorder.record(up, 'Warning', 'NodeNotReady', 'Node is not ready', {
        component: 'node-controller',
      });
    }
    this.clock.after((options.evictAfterSeconds ?? 300) * 1000, () => {
      for (const p of this.store
        .listIn('core/pods')
        .filter(x => x.spec?.nodeName === nodeName)) {
        this.recorder.record(
          p,
          'Normal',
          'TaintManagerEviction',
          `Marking for deletion Pod ${p.metadata.namespace}/${p.metadata.name}`,
          { component: 'taint-eviction-controller' },
        );
        this.terminatePod(p);
      }
    });
  }

  /** Pod deletion requested through the API (kubectl delete pod). */
  deletePodViaApi(pod: KubeObject, grace?: number): KubeObject | undefined {
    if (grace === 0 || !pod.spec?.nodeName) return undefined; // immediate
    return this.terminatePod(pod, grace);
  }
}
