import { createHash } from 'node:crypto';
import { KubeObject } from '../types';
import type { PodPlan, SimCluster } from './cluster';
import { ref } from './refs';
import { crashLines, oomLines, routineLine, startupLines } from './loggen';

const KUBELET = (node: string) => ({ component: 'kubelet', host: node });
/** The kubelet's maximum container restart back-off. */
const BACKOFF_MAX_S = 300;

type CState = 'waiting' | 'running' | 'terminated';

/** The kubelet for one pod. */
export class PodRunner {
  private restarts = 0;
  private initRestarts = 0;
  private starts = 0;
  private readonly ids = new Map<string, string>();
  private backoffS = 10;
  private logN = 0;
  private logTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly node: string;
  private readonly ns: string;
  private readonly name: string;

  constructor(
    private readonly c: SimCluster,
    pod: KubeObject,
    private readonly plan: PodPlan,
    private readonly ip: string,
  ) {
    this.node = pod.spec.nodeName;
    this.ns = pod.metadata.namespace!;
    this.name = pod.metadata.name!;
  }

  private get pod() {
    return this.c.store.getIn('core/pods', this.ns, this.name);
  }

  private after(s: number, fn: () => void) {
    const t = this.c.clock.after(s * 1000, () => {
      if (!this.stopped && this.pod) fn();
    });
    if (t) this.timers.push(t);
  }

  stop() {
    this.stopped = true;
    for (const t of this.timers) this.c.clock.cancel(t);
    this.c.clock.cancel(this.logTimer);
  }

  private event(
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    container?: string,
  ) {
    const p = this.pod;
    if (!p) return;
    const isInit =
      container &&
      (p.spec.initContainers ?? []).some((x: any) => x.name === container);
    this.c.recorder.record(p, type, reason, message, KUBELET(this.node), {
      fieldPath: container
        ? `spec.${isInit ? 'initContainers' : 'containers'}{${container}}`
        : undefined,
    });
  }

  private image(container: string) {
    const p = this.pod!;
    return [...(p.spec.initContainers ?? []), ...p.spec.containers].find(
      (x: any) => x.name === container,
    )?.image;
  }

  private patch(fn: (o: KubeObject) => void) {
    const p = this.pod;
    if (!p) return;
    this.c.store.patch(ref(p), o => {
      fn(o);
      derivePodStatus(o, this.c.clock.nowIso());
    });
  }

  /** Sets one container's status entry. */
  private setContainer(
    name: string,
    state: CState,
    detail: any = {},
    extra: any = {},
  ) {
    this.patch(o => {
      const isInit = (o.spec.initContainers ?? []).some(
        (x: any) => x.name === name,
      );
      const listKey = isInit ? 'initContainerStatuses' : 'containerStatuses';
      const list: any[] = o.status[listKey] ?? [];
      let cs = list.find(x => x.name === name);
      if (!cs) {
        cs = {
          name,
          image: this.image(name),
          imageID: '',
          restartCount: 0,
          started: false,
          ready: false,
        };
        list.push(cs);
      }
      // runtime identity of the current instance, as the kubelet reports it
      const id = this.ids.get(name);
      const d =
        state === 'terminated' && id
          ? { ...detail, containerID: `containerd://${id}` }
          : detail;
      cs.state = { [state]: d };
      if (id && state !== 'waiting') {
        cs.containerID = `containerd://${id}`;
        cs.imageID = `${String(cs.image).replace(
          /:[^:/]*$/,
          '',
        )}@sha256:${createHash('sha256')
          .update(String(cs.image))
          .digest('hex')}`;
      }
      Object.assign(cs, extra);
      cs.started = state === 'running';
      if (state !== 'running') cs.ready = false;
      o.status[listKey] = list;
    });
  }

  private cs(name: string) {
    const p = this.pod;
    return [
      ...(p?.status?.containerStatuses ?? []),
      ...(p?.status?.initContainerStatuses ?? []),
    ].find((x: any) => x.name === name);
  }

  start() {
    const p = this.pod!;
    this.patch(o => {
      o.status.hostIP = '172.18.0.10';
      o.status.startTime = this.c.clock.nowIso();
      o.status.containerStatuses = o.spec.containers.map((ct: any) => ({
        name: ct.name,
        image: ct.image,
        imageID: '',
        restartCount: 0,
        started: false,
        ready: false,
        state: {
          waiting: {
            reason: (o.spec.initContainers ?? []).length
              ? 'PodInitializing'
              : 'ContainerCreating',
          },
        },
        lastState: {},
      }));
      if ((o.spec.initContainers ?? []).length) {
        o.status.initContainerStatuses = o.spec.initContainers.map(
          (ct: any) => ({
            name: ct.name,
            image: ct.image,
            imageID: '',
            restartCount: 0,
            started: false,
            ready: false,
            state: { waiting: { reason: 'PodInitializing' } },
            lastState: {},
          }),
        );
      }
    });
    const inits = (p.spec.initContainers ?? []).map(
      (x: any) => x.name as string,
    );
    this.after(1, () => this.runInit(inits, 0));
  }

  private pullAndStart(container: string, then: () => void) {
    const image = this.image(container);
    if (this.plan.behaviour === 'imagepull' && container === 'app') {
      this.imagePullLoop(container);
      return;
    }
    const first = this.restarts === 0 && this.initRestarts === 0;
    if (first) {
      this.event('Normal', 'Pulling', `Pulling image "${image}"`, container);
      this.after(1.5, () => {
        this.event(
          'Normal',
          'Pulled',
          `Successfully pulled image "${image}" in 1.412s (1.412s including waiting). Image size: 52428800 bytes.`,
          container,
        );
        this.createAndStart(container, then);
      });
    } else {
      this.event(
        'Normal',
        'Pulled',
        `Container image "${image}" already present on machine`,
        container,
      );
      this.createAndStart(container, then);
    }
  }

  private createAndStart(container: string, then: () => void) {
    if (this.plan.behaviour === 'configerror' && container === 'app') {
      const msg = `configmap "${this.plan.app}-config" not found`;
      this.event('Warning', 'Failed', `Error: ${msg}`, container);
      this.setContainer(container, 'waiting', {
        reason: 'CreateContainerConfigError',
        message: msg,
      });
      // the kubelet retries on every pod sync
      this.after(10, () => this.pullAndStart(container, then));
      return;
    }
    this.starts += 1;
    this.ids.set(
      container,
      createHash('sha256')
        .update(`${this.ns}/${this.name}/${container}/${this.starts}`)
        .digest('hex'),
    );
    this.event(
      'Normal',
      'Created',
      `Created container: ${container}`,
      container,
    );
    this.c.logs.startInstance(this.ns, this.name, container);
    this.event(
      'Normal',
      'Started',
      `Started container ${container}`,
      container,
    );
    this.setContainer(container, 'running', {
      startedAt: this.c.clock.nowIso(),
    });
    then();
  }

  private imagePullLoop(container: string, attempt = 0) {
    const image = this.image(container);
    this.event('Normal', 'Pulling', `Pulling image "${image}"`, container);
    this.after(2, () => {
      const err = `failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;
      this.event(
        'Warning',
        'Failed',
        `Failed to pull image "${image}": rpc error: code = NotFound desc = ${err}`,
        container,
      );
      this.event('Warning', 'Failed', 'Error: ErrImagePull', container);
      this.setContainer(container, 'waiting', {
        reason: 'ErrImagePull',
        message: `rpc error: code = NotFound desc = ${err}`,
      });
      this.after(1, () => {
        const backoff = Math.min(BACKOFF_MAX_S, 10 * 2 ** attempt);
        this.event(
          'Normal',
          'BackOff',
          `Back-off pulling image "${image}"`,
          container,
        );
        this.event('Warning', 'Failed', 'Error: ImagePullBackOff', container);
        this.setContainer(container, 'waiting', {
          reason: 'ImagePullBackOff',
          message: `Back-off pulling image "${image}": ErrImagePull: ${err}`,
        });
        this.after(backoff, () => this.imagePullLoop(container, attempt + 1));
      });
    });
  }

  private runInit(inits: string[], i: number) {
    if (i >= inits.length) {
      this.patch(o => {
        o.status.containerStatuses = o.status.containerStatuses.map(
          (cs: any) => ({
            ...cs,
            state: { waiting: { reason: 'ContainerCreating' } },
          }),
        );
      });
      this.startMain();
      return;
    }
    const name = inits[i];
    this.pullAndStart(name, () => {
      this.write(
        name,
        `${this.c.clock
          .nowDate()
          .toISOString()} INFO  running database migrations`,
      );
      this.after(3, () => {
        if (this.plan.behaviour === 'initfail') {
          this.write(
            name,
            `${this.c.clock
              .nowDate()
              .toISOString()} ERROR migration 0042_add_orders_index failed: relation "orders" does not exist`,
          );
          this.c.logs.endInstance(this.ns, this.name, name);
          this.setContainer(name, 'terminated', {
            exitCode: 1,
            reason: 'Error',
            startedAt: this.cs(name)?.state?.running?.startedAt,
            finishedAt: this.c.clock.nowIso(),
            containerID: `containerd://${this.name}-${name}-${this.initRestarts}`,
          });
          this.crashBackOff(name, () => {
            this.initRestarts++;
            this.setContainer(
              name,
              'waiting',
              { reason: 'PodInitializing' },
              { restartCount: this.initRestarts },
            );
            this.runInit(inits, i);
          });
          return;
        }
        this.write(
          name,
          `${this.c.clock.nowDate().toISOString()} INFO  migrations complete`,
        );
        this.c.logs.endInstance(this.ns, this.name, name);
        this.setContainer(
          name,
          'terminated',
          {
            exitCode: 0,
            reason: 'Completed',
            startedAt: this.cs(name)?.state?.running?.startedAt,
            finishedAt: this.c.clock.nowIso(),
            containerID: `containerd://${this.name}-${name}`,
          },
          { ready: true },
        );
        this.runInit(inits, i + 1);
      });
    });
  }

  private startMain() {
    const p = this.pod!;
    const others = p.spec.containers.slice(1).map((x: any) => x.name as string);
    this.patch(o => {
      o.status.podIP = this.ip;
      o.status.podIPs = [{ ip: this.ip }];
    });
    for (const o of others) {
      this.pullAndStart(o, () =>
        this.setContainer(
          o,
          'running',
          { startedAt: this.c.clock.nowIso() },
          { ready: true },
        ),
      );
    }
    this.pullAndStart('app', () => this.running());
  }

  private write(container: string, text: string) {
    const ts = this.c.clock.now();
    for (const line of text.split('\n')) {
      if (
        this.c.logs.append(this.ns, this.name, container, { ts, text: line })
      ) {
        this.c.ledger.recordLog({
          namespace: this.ns,
          pod: this.name,
          container,
          line,
        });
      }
    }
  }

  private startLogging() {
    this.c.clock.cancel(this.logTimer);
    this.logTimer = this.c.clock.every(this.plan.logEverySeconds * 1000, () => {
      if (this.stopped) return;
      this.write(
        'app',
        routineLine(this.plan.logStyle, this.logN++, this.c.clock.nowDate()),
      );
    });
  }

  /** Main container just started. */
  private running() {
    const b = this.plan.behaviour;
    for (const l of startupLines(
      this.plan.logStyle,
      this.plan.app,
      this.c.clock.nowDate(),
    ))
      this.write('app', l);
    this.startLogging();
    if (b === 'readinessfail') {
      const probe = () => {
        this.event(
          'Warning',
          'Unhealthy',
          'Readiness probe failed: HTTP probe failed with statuscode: 503',
          'app',
        );
        this.write(
          'app',
          `${this.c.clock
            .nowDate()
            .toISOString()} WARN  readiness check failed: dependency payments-db unavailable`,
        );
        this.after(10, probe);
      };
      this.after(5, probe);
      return;
    }
    if (b === 'complete' || b === 'fail') {
      this.after(2, () => this.setReady(true));
      this.after(this.plan.runSeconds, () =>
        this.exit(
          b === 'complete' ? 0 : 1,
          b === 'complete' ? 'Completed' : 'Error',
        ),
      );
      return;
    }
    // readiness turns True after the first successful probe
    this.after(2, () => this.setReady(true));
    if (b === 'crashloop') {
      this.after(this.plan.runSeconds, () => {
        for (const l of crashLines(this.plan.logStyle, this.c.clock.nowDate()))
          this.write('app', l);
        this.exit(1, 'Error');
      });
    } else if (b === 'oomkilled') {
      this.after(this.plan.runSeconds, () => {
        for (const l of oomLines(this.c.clock.nowDate())) this.write('app', l);
        this.exit(137, 'OOMKilled');
      });
    } else if (b === 'liveness') {
      this.after(this.plan.runSeconds, () => this.livenessFailures(0));
    }
  }

  private setReady(ready: boolean) {
    this.patch(o => {
      const cs = (o.status.containerStatuses ?? []).find(
        (x: any) => x.name === 'app',
      );
      if (cs && cs.state?.running) cs.ready = ready;
    });
  }

  private livenessFailures(n: number) {
    const msg = `Liveness probe failed: Get "http://${this.ip}:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`;
    this.event('Warning', 'Unhealthy', msg, 'app');
    if (n + 1 < 3) {
      this.after(10, () => this.livenessFailures(n + 1));
      return;
    }
    this.event(
      'Normal',
      'Killing',
      'Container app failed liveness probe, will be restarted',
      'app',
    );
    this.after(1, () => this.exit(137, 'Error', true));
  }

  /** Main container exits. */
  private exit(code: number, reason: string, immediateRestart = false) {
    this.c.clock.cancel(this.logTimer);
    this.c.logs.endInstance(this.ns, this.name, 'app');
    const startedAt = this.cs('app')?.state?.running?.startedAt;
    const terminated = {
      exitCode: code,
      reason,
      startedAt,
      finishedAt: this.c.clock.nowIso(),
      containerID: `containerd://${this.name}-app-${this.restarts}`,
    };
    const pod = this.pod!;
    if (pod.spec.restartPolicy === 'Never') {
      this.setContainer('app', 'terminated', terminated);
      this.patch(o => {
        o.status.phase = code === 0 ? 'Succeeded' : 'Failed';
      });
      return;
    }
    this.setContainer('app', 'terminated', terminated);
    const restart = () => {
      this.restarts++;
      this.setContainer(
        'app',
        'waiting',
        { reason: 'ContainerCreating' },
        { restartCount: this.restarts, lastState: { terminated } },
      );
      this.pullAndStart('app', () => this.running());
    };
    if (immediateRestart && this.restarts === 0) {
      this.after(1, restart);
      return;
    }
    this.crashBackOff('app', restart, terminated);
  }

  private crashBackOff(
    container: string,
    restart: () => void,
    terminated?: any,
  ) {
    const delay = this.backoffS;
    this.backoffS = Math.min(BACKOFF_MAX_S, this.backoffS * 2);
    const p = this.pod!;
    const last = terminated ?? this.cs(container)?.state?.terminated;
    this.after(1, () => {
      this.event(
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${container} in pod ${this.name}_${this.ns}(${p.metadata.uid})`,
        container,
      );
      this.setContainer(
        container,
        'waiting',
        {
          reason: 'CrashLoopBackOff',
          message: `back-off ${delay}s restarting failed container=${container} pod=${this.name}_${this.ns}(${p.metadata.uid})`,
        },
        { lastState: { terminated: last } },
      );
      this.after(delay, restart);
    });
  }

  /** Kubelet-initiated eviction. */
  evict() {
    this.stop();
    this.c.logs.endInstance(this.ns, this.name, 'app');
    const msg =
      'The node was low on resource: memory. Threshold quantity: 100Mi, available: 87244Ki. Container app was using 1403124Ki, request is 128Mi, has larger consumption of memory. ';
    this.event('Warning', 'Evicted', msg);
    const now = this.c.clock.nowIso();
    this.patch(o => {
      o.status.phase = 'Failed';
      o.status.reason = 'Evicted';
      o.status.message = msg;
      o.status.conditions = (o.status.conditions ?? []).filter(
        (c: any) => c.type !== 'DisruptionTarget',
      );
      o.status.conditions.push({
        type: 'DisruptionTarget',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: now,
        reason: 'TerminationByKubelet',
        message: msg,
      });
      for (const cs of o.status.containerStatuses ?? []) {
        cs.ready = false;
        cs.started = false;
        cs.state = {
          terminated: {
            exitCode: 137,
            reason: 'ContainerStatusUnknown',
            message:
              'The container could not be located when the pod was terminated',
            startedAt: cs.state?.running?.startedAt,
            finishedAt: now,
          },
        };
      }
    });
  }

  /** Graceful stop after a delete: Killing, then the pod object goes away. */
  terminate(grace: number) {
    for (const t of this.timers) this.c.clock.cancel(t);
    this.c.clock.cancel(this.logTimer);
    const p = this.pod;
    if (!p) return;
    for (const ct of p.spec.containers)
      this.event('Normal', 'Killing', `Stopping container ${ct.name}`, ct.name);
    this.write(
      'app',
      `${this.c.clock
        .nowDate()
        .toISOString()} INFO  received SIGTERM, shutting down`,
    );
    const t = this.c.clock.after(Math.min(grace, 3) * 1000, () => {
      this.stopped = true;
      const cur = this.pod;
      if (!cur) return;
      try {
        this.c.store.delete(ref(cur));
      } catch {
        // already gone
      }
    });
    if (t) this.timers.push(t);
  }
}

/** Phase and pod conditions from container statuses, as the kubelet computes them. */
export function derivePodStatus(o: KubeObject, now: string) {
  const st = o.status;
  if (st.phase === 'Succeeded' || st.phase === 'Failed') {
    setCond(o, 'Ready', 'False', now, 'PodCompleted');
    setCond(o, 'ContainersReady', 'False', now, 'PodCompleted');
    return;
  }
  const inits: any[] = st.initContainerStatuses ?? [];
  const initsDone = inits.every(c => c.state?.terminated?.exitCode === 0);
  const main: any[] = st.containerStatuses ?? [];
  const allReady = main.length > 0 && main.every(c => c.ready);
  const anyRunning = main.some(c => c.state?.running);
  if (initsDone && anyRunning) st.phase = 'Running';
  else if (
    initsDone &&
    main.length &&
    main.every(c => c.state?.terminated || c.lastState?.terminated) &&
    st.phase === 'Running'
  )
    st.phase = 'Running';
  else st.phase = st.phase === 'Running' ? 'Running' : 'Pending';
  if (inits.length)
    setCond(
      o,
      'Initialized',
      initsDone ? 'True' : 'False',
      now,
      initsDone ? undefined : 'ContainersNotInitialized',
      initsDone
        ? undefined
        : `containers with incomplete status: [${inits
            .filter(
              c => !c.state?.terminated || c.state.terminated.exitCode !== 0,
            )
            .map(c => c.name)
            .join(' ')}]`,
    );
  else setCond(o, 'Initialized', 'True', now);
  const notReady = main.filter(c => !c.ready).map(c => c.name);
  setCond(
    o,
    'ContainersReady',
    allReady ? 'True' : 'False',
    now,
    allReady ? undefined : 'ContainersNotReady',
    allReady
      ? undefined
      : `containers with unready status: [${notReady.join(' ')}]`,
  );
  setCond(
    o,
    'Ready',
    allReady ? 'True' : 'False',
    now,
    allReady ? undefined : 'ContainersNotReady',
    allReady
      ? undefined
      : `containers with unready status: [${notReady.join(' ')}]`,
  );
  setCond(o, 'PodReadyToStartContainers', 'True', now);
}

function setCond(
  o: KubeObject,
  type: string,
  status: string,
  now: string,
  reason?: string,
  message?: string,
) {
  const conds: any[] = o.status.conditions ?? (o.status.conditions = []);
  const c = conds.find(x => x.type === type);
  if (c) {
    if (c.status !== status) c.lastTransitionTime = now;
    c.status = status;
    if (reason) c.reason = reason;
    else delete c.reason;
    if (message) c.message = message;
    else delete c.message;
  } else {
    conds.push({
      type,
      status,
      lastProbeTime: null,
      lastTransitionTime: now,
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
    });
  }
}
