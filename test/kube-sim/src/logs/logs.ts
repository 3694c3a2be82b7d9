import type { IncomingMessage, ServerResponse } from 'node:http';
import { KubeObject } from '../types';
import { ApiError, badRequest } from '../server/status';

export interface LogLine {
  /** Simulated time in ms. */
  ts: number;
  text: string;
}

type Follower = { onLine: (l: LogLine) => void; onEnd: () => void };

interface Instance {
  lines: LogLine[];
  ended: boolean;
  followers: Set<Follower>;
}

/**
 * Container logs per container *instance*: a restart starts a new instance, the one
 * before it is what `--previous` shows. Which instance a request gets follows the
 * kubelet's rules (see resolve()).
 */
export class LogStore {
  private readonly containers = new Map<string, Instance[]>();
  /** Keeps memory bounded for long runs: lines per instance. */
  maxLinesPerInstance = 20000;

  private key(ns: string, pod: string, container: string) {
    return `${ns}/${pod}/${container}`;
  }

  /** Starts a new container instance (first start or restart). */
  startInstance(ns: string, pod: string, container: string) {
    const k = this.key(ns, pod, container);
    const list = this.containers.get(k) ?? [];
    const last = list[list.length - 1];
    if (last) this.endInstanceObj(last);
    list.push({ lines: [], ended: false, followers: new Set() });
    // the kubelet keeps only the current and the previous instance
    while (list.length > 2) list.shift();
    this.containers.set(k, list);
  }

  append(ns: string, pod: string, container: string, line: LogLine) {
    const list = this.containers.get(this.key(ns, pod, container));
    const inst = list?.[list.length - 1];
    if (!inst || inst.ended) return false;
    inst.lines.push(line);
    if (inst.lines.length > this.maxLinesPerInstance) inst.lines.shift();
    for (const f of inst.followers) f.onLine(line);
    return true;
  }

  /** The running instance stopped (container terminated): followers end. */
  endInstance(ns: string, pod: string, container: string) {
    const list = this.containers.get(this.key(ns, pod, container));
    const inst = list?.[list.length - 1];
    if (inst) this.endInstanceObj(inst);
  }

  private endInstanceObj(inst: Instance) {
    inst.ended = true;
    for (const f of inst.followers) f.onEnd();
    inst.followers.clear();
  }

  removePod(ns: string, pod: string) {
    for (const [k, list] of this.containers) {
      if (k.startsWith(`${ns}/${pod}/`)) {
        list.forEach(i => this.endInstanceObj(i));
        this.containers.delete(k);
      }
    }
  }

  instances(ns: string, pod: string, container: string): Instance[] {
    return this.containers.get(this.key(ns, pod, container)) ?? [];
  }
}

function containerNames(pod: KubeObject) {
  return {
    main: (pod.spec?.containers ?? []).map((c: any) => c.name as string),
    init: (pod.spec?.initContainers ?? []).map((c: any) => c.name as string),
    ephemeral: (pod.spec?.ephemeralContainers ?? []).map(
      (c: any) => c.name as string,
    ),
  };
}

function formatTs(ms: number): string {
  // RFC 3339 with nanoseconds, as the kubelet prefixes lines with timestamps=true
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/**
 * Picks the container and instance like apiserver + kubelet do, with their
 * error messages (400 BadRequest).
 */
export function resolveLogTarget(
  pod: KubeObject,
  store: LogStore,
  containerParam: string | undefined,
  previous: boolean,
): { container: string; instance: Instance | undefined } {
  const podName = pod.metadata.name!;
  const ns = pod.metadata.namespace!;
  const names = containerNames(pod);
  let chosen = containerParam;
  if (!chosen) {
    if (names.main.length === 1) chosen = names.main[0];
    else {
      const def =
        pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
      if (def && names.main.includes(def)) chosen = def;
      else {
        let msg = `a container name must be specified for pod ${podName}, choose one of: [${names.main.join(
          ' ',
        )}]`;
        if (names.init.length)
          msg += ` or one of the init containers: [${names.init.join(' ')}]`;
        if (names.ephemeral.length)
          msg += ` or one of the ephemeral containers: [${names.ephemeral.join(
            ' ',
          )}]`;
        throw badRequest(msg);
      }
    }
  }
  const container: string = chosen!;
  if (![...names.main, ...names.init, ...names.ephemeral].includes(container)) {
    throw badRequest(`container ${container} is not valid for pod ${podName}`);
  }
  const statuses = [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.ephemeralContainerStatuses ?? []),
  ];
  const cs = statuses.find((s: any) => s.name === container);
  const state = cs?.state ?? {};
  const last = cs?.lastState ?? {};
  const inst = store.instances(ns, podName, container);
  const cur = inst[inst.length - 1];
  const before = inst[inst.length - 2];
  if (previous) {
    if (!last.terminated) {
      throw badRequest(
        `previous terminated container "${container}" in pod "${podName}" not found`,
      );
    }
    // while waiting (back-off) the newest instance is the terminated one
    return {
      container,
      instance: state.running || state.terminated ? before : cur,
    };
  }
  if (state.running || state.terminated || last.terminated)
    return { container, instance: cur };
  if (state.waiting) {
    const reason = state.waiting.reason;
    if (reason === 'ErrImagePull' || reason === 'ImagePullBackOff') {
      throw badRequest(
        `container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`,
      );
    }
    throw badRequest(
      `container "${container}" in pod "${podName}" is waiting to start: ${reason}`,
    );
  }
  if (!pod.spec?.nodeName) {
    throw badRequest(
      `container "${container}" in pod "${podName}" is waiting to start: ContainerCreating`,
    );
  }
  return { container, instance: cur };
}

export interface LogQuery {
  container?: string;
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  timestamps?: boolean;
  limitBytes?: number;
  follow?: boolean;
}

export function parseLogQuery(q: URLSearchParams): LogQuery {
  const num = (k: string) => {
    const v = q.get(k);
    if (v === null || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw badRequest(`invalid value for ${k}: ${v}`);
    return n;
  };
  const bool = (k: string) => ['true', '1'].includes(q.get(k) ?? '');
  const out: LogQuery = {
    container: q.get('container') || undefined,
    previous: bool('previous'),
    tailLines: num('tailLines'),
    sinceSeconds: num('sinceSeconds'),
    sinceTime: q.get('sinceTime') || undefined,
    timestamps: bool('timestamps'),
    limitBytes: num('limitBytes'),
    follow: bool('follow'),
  };
  if (out.sinceSeconds !== undefined && out.sinceTime) {
    throw new ApiError(
      422,
      'Invalid',
      `PodLogOptions "" is invalid: sinceSeconds: Forbidden: at most one of sinceTime or sinceSeconds may be specified`,
    );
  }
  if (out.sinceSeconds !== undefined && out.sinceSeconds < 1) {
    throw new ApiError(
      422,
      'Invalid',
      `PodLogOptions "" is invalid: sinceSeconds: Invalid value: ${out.sinceSeconds}: must be greater than 0`,
    );
  }
  if (out.tailLines !== undefined && out.tailLines < 0) {
    throw new ApiError(
      422,
      'Invalid',
      `PodLogOptions "" is invalid: tailLines: Invalid value: ${out.tailLines}: must be greater than or equal to 0`,
    );
  }
  if (out.limitBytes !== undefined && out.limitBytes < 1) {
    throw new ApiError(
      422,
      'Invalid',
      `PodLogOptions "" is invalid: limitBytes: Invalid value: ${out.limitBytes}: must be greater than 0`,
    );
  }
  return out;
}

/** Serves GET …/pods/{name}/log. */
export function serveLogs(
  req: IncomingMessage,
  res: ServerResponse,
  pod: KubeObject,
  store: LogStore,
  q: LogQuery,
  nowMs: () => number,
) {
  const { instance } = resolveLogTarget(pod, store, q.container, !!q.previous);
  let since: number | undefined;
  if (q.sinceSeconds !== undefined) since = nowMs() - q.sinceSeconds * 1000;
  if (q.sinceTime) {
    const t = Date.parse(q.sinceTime);
    if (Number.isNaN(t)) throw badRequest(`invalid sinceTime: ${q.sinceTime}`);
    since = t;
  }
  let lines = instance?.lines ?? [];
  if (since !== undefined) lines = lines.filter(l => l.ts >= since!);
  if (q.tailLines !== undefined)
    lines = q.tailLines === 0 ? [] : lines.slice(-q.tailLines);
  const render = (l: LogLine) =>
    `${q.timestamps ? `${formatTs(l.ts)} ` : ''}${l.text}\n`;
  let budget = q.limitBytes ?? Infinity;
  res.writeHead(200, {
    'Content-Type': 'text/plain',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  const write = (s: string): boolean => {
    if (budget <= 0) return false;
    let buf = Buffer.from(s);
    if (buf.length > budget) buf = buf.subarray(0, budget);
    budget -= buf.length;
    res.write(buf);
    return budget > 0;
  };
  const initial = lines.map(render).join('');
  const more = initial ? write(initial) : budget > 0;
  if (!q.follow || !more || !instance || instance.ended) {
    res.end();
    return;
  }
  const follower: Follower = {
    onLine: l => {
      if (!write(render(l))) {
        instance.followers.delete(follower);
        res.end();
      }
    },
    onEnd: () => res.end(),
  };
  instance.followers.add(follower);
  const stop = () => instance.followers.delete(follower);
  req.on('close', stop);
  res.on('close', stop);
}
