import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { KubeObject } from '../types';
import { ObjectStore, StoreError, TooOldError } from '../store/store';
import { ResourceType, groupVersion, storageId } from '../resources/registry';
import { SelectorError, fieldMatcher, labelMatcher } from '../store/selectors';
import {
  ApiError,
  badRequest,
  makeStatus,
  notFound,
  sendJson,
  sendStatus,
} from './status';
import { Authorizer } from './auth';
import { Faults, RequestInfo } from '../faults/faults';
import { WatchHub, WatchOptions, WatchStream } from '../watch/watch';
import { LogStore, parseLogQuery, serveLogs } from '../logs/logs';
import { SimClock } from '../clock';
import {
  SIM_VERSION,
  apiGroupDoc,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from '../discovery/discovery';
import { tableFor, wantsTable } from './table';
import { SimTls } from '../certs';

export interface ServerDeps {
  store: ObjectStore;
  auth: Authorizer;
  faults: Faults;
  hub: WatchHub;
  logs: LogStore;
  clock: SimClock;
  watch: WatchOptions;
  /** Continue tokens older than this (wall ms) get 410 Expired, like after etcd compaction. */
  continueTtlMs: number;
  /** Hook for DELETE on pods (graceful deletion by the simulated kubelet). */
  onDeletePod?: (
    pod: KubeObject,
    gracePeriodSeconds?: number,
  ) => KubeObject | undefined;
}

interface Target {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** Reason and message the real apiserver uses for these codes. */
const FAULT_STATUS: Record<number, { reason: string; message: string }> = {
  429: {
    reason: 'TooManyRequests',
    message:
      'The API server is currently too busy to process this request. Please try again later.',
  },
  503: {
    reason: 'ServiceUnavailable',
    message: 'the server is currently unable to handle the request',
  },
  500: {
    reason: 'InternalError',
    message:
      'an error on the server ("kube-sim injected fault") has prevented the request from succeeding',
  },
};

const EXPIRED_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

function keyOf(o: KubeObject) {
  return o.metadata.namespace
    ? `${o.metadata.namespace}/${o.metadata.name}`
    : o.metadata.name!;
}

function encodeContinue(rv: number, start: string, issued: number) {
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv, start, t: issued }),
  ).toString('base64url');
}

function decodeContinue(token: string): {
  rv: number;
  start: string;
  t: number;
} {
  try {
    const d = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof d.rv !== 'number' || typeof d.start !== 'string')
      throw new Error();
    return d;
  } catch {
    throw badRequest(
      `continue key is not valid: illegal base64 data or incorrect format`,
    );
  }
}

function readBody(req: IncomingMessage): Promise<any> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text) {
        resolve(undefined);
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(
          badRequest(
            `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
          ),
        );
      }
    });
    req.on('error', reject);
  });
}

/** RFC 7386 JSON merge patch (strategic merge patches are treated the same way). */
function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
    return patch;
  const out =
    target && typeof target === 'object' && !Array.isArray(target)
      ? { ...target }
      : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** The simulated kube-apiserver's HTTPS front end. */
export class SimServer {
  private readonly server: https.Server;
  private readonly sockets = new Set<Socket>();
  private addr = '';

  constructor(private readonly deps: ServerDeps, tls: SimTls) {
    this.server = https.createServer(
      { key: tls.keyPem, cert: tls.certPem },
      (req, res) => {
        this.handle(req, res).catch(err => this.fail(res, err));
      },
    );
    // keep-alive connections would keep close() waiting
    this.server.on('secureConnection', s => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('connection', s => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const a = this.server.address() as AddressInfo;
        this.addr = `${host}:${a.port}`;
        resolve(a.port);
      });
    });
  }

  async close() {
    this.deps.hub.closeAll();
    await new Promise<void>(resolve => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
      this.server.closeAllConnections?.();
    });
  }

  private fail(res: ServerResponse, err: unknown) {
    if (err instanceof ApiError) return sendStatus(res, err);
    if (err instanceof StoreError) {
      return sendStatus(
        res,
        new ApiError(err.code, err.reason, err.message, err.details),
      );
    }
    if (err instanceof SelectorError)
      return sendStatus(res, badRequest(err.message));
    if (err instanceof TooOldError)
      return sendStatus(res, new ApiError(410, 'Expired', err.message));
    return sendStatus(
      res,
      new ApiError(
        500,
        'InternalError',
        `Internal error occurred: ${String((err as Error)?.message ?? err)}`,
      ),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const { deps } = this;
    const url = new URL(req.url ?? '/', 'https://sim');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = (req.method ?? 'GET').toUpperCase();
    const q = url.searchParams;
    const watch =
      ['1', 'true'].includes(q.get('watch') ?? '') || /\/watch\//.test(path);

    if (['/healthz', '/livez', '/readyz'].includes(path)) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    deps.auth.authenticate(req.headers.authorization);

    const target =
      path.startsWith('/api/') || path.startsWith('/apis/')
        ? this.resolve(path)
        : undefined;
    const verb = this.verbFor(method, target, watch);
    const info: RequestInfo = {
      method,
      path,
      watch,
      resource: target?.type.plural,
      verb,
    };

    const delay = deps.faults.latencyFor(info);
    if (delay > 0) await new Promise(r => setTimeout(r, delay));

    const fault = deps.faults.takeError(info);
    if (fault) {
      const known = FAULT_STATUS[fault.status] ?? FAULT_STATUS[500];
      const reason = known.reason;
      const msg = fault.message ?? known.message;
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined)
        headers['Retry-After'] = String(fault.retryAfterSeconds);
      throw new ApiError(
        fault.status,
        reason,
        msg,
        fault.retryAfterSeconds !== undefined
          ? { retryAfterSeconds: fault.retryAfterSeconds }
          : undefined,
        headers,
      );
    }
    const script = deps.faults.takeScript(info);
    if (script) {
      await this.playScript(req, res, script);
      return;
    }

    if (method === 'GET') {
      switch (path) {
        case '/version':
          sendJson(res, 200, SIM_VERSION);
          return;
        case '/api':
          sendJson(res, 200, apiVersions(this.addr));
          return;
        case '/apis':
          sendJson(res, 200, apiGroupList(deps.store.registry));
          return;
        default:
      }
      const disc = this.discovery(path);
      if (disc !== undefined) {
        if (!disc)
          throw notFound('the server could not find the requested resource');
        sendJson(res, 200, disc);
        return;
      }
    }
    if (!target)
      throw notFound('the server could not find the requested resource');

    deps.auth.authorize({
      verb: verb!,
      group: target.type.group,
      resource: target.type.plural,
      subresource: target.subresource,
      namespace: target.namespace,
      name: target.name,
    });

    if (target.subresource === 'log') {
      if (method !== 'GET')
        throw new ApiError(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
      const pod = deps.store.getIn('core/pods', target.namespace, target.name!);
      if (!pod)
        throw notFound(`pods "${target.name}" not found`, {
          name: target.name,
          kind: 'pods',
        });
      serveLogs(req, res, pod, deps.logs, parseLogQuery(q), () =>
        deps.clock.now(),
      );
      return;
    }
    if (
      target.subresource &&
      !['status', 'scale'].includes(target.subresource)
    ) {
      throw notFound('the server could not find the requested resource');
    }
    switch (verb) {
      case 'watch':
        this.watch(req, res, target, q, path);
        break;
      case 'list':
        this.list(req, res, target, q);
        break;
      case 'get':
        this.get(req, res, target);
        break;
      case 'create':
        await this.create(req, res, target);
        break;
      case 'update':
      case 'patch':
        await this.update(req, res, target, verb);
        break;
      case 'delete':
        await this.remove(req, res, target, q);
        break;
      default:
        throw new ApiError(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
    }
  }

  private verbFor(method: string, t: Target | undefined, watch: boolean) {
    if (!t) return undefined;
    switch (method) {
      case 'GET':
        if (t.subresource) return 'get';
        if (watch) return 'watch';
        return t.name ? 'get' : 'list';
      case 'POST':
        return 'create';
      case 'PUT':
        return 'update';
      case 'PATCH':
        return 'patch';
      case 'DELETE':
        return t.name ? 'delete' : 'deletecollection';
      default:
        return method.toLowerCase();
    }
  }

  /** Discovery documents; undefined when the path is not a discovery path. */
  private discovery(path: string): object | null | undefined {
    const reg = this.deps.store.registry;
    if (path === '/api/v1') return apiResourceList(reg, '', 'v1') ?? null;
    const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    if (!m) return undefined;
    if (!m[2]) return apiGroupDoc(reg, m[1]) ?? null;
    return apiResourceList(reg, m[1], m[2]) ?? null;
  }

  private resolve(path: string): Target | undefined {
    const parts = path.split('/').filter(Boolean);
    let group = '';
    let version: string;
    let rest: string[];
    if (parts[0] === 'api') {
      version = parts[1];
      rest = parts.slice(2);
    } else {
      group = parts[1];
      version = parts[2];
      rest = parts.slice(3);
    }
    if (!version || rest.length === 0) return undefined;
    if (rest[0] === 'watch') rest = rest.slice(1);
    const reg = this.deps.store.registry;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      const t = reg.byPath(group, version, rest[2]);
      if (t?.namespaced) {
        return {
          type: t,
          namespace: rest[1],
          name: rest[3],
          subresource: rest[4],
        };
      }
    }
    const t = reg.byPath(group, version, rest[0]);
    if (!t) return undefined;
    return { type: t, name: rest[1], subresource: rest[2] };
  }

  /** Stored object → what this endpoint serves (view conversion, apiVersion of the served version). */
  private render(t: ResourceType, o: KubeObject): KubeObject {
    if (t.toView) return t.toView(o);
    const gv = groupVersion(t);
    if (o.apiVersion !== gv || o.kind !== t.kind)
      return { ...o, apiVersion: gv, kind: t.kind };
    return o;
  }

  private get(req: IncomingMessage, res: ServerResponse, t: Target) {
    const o = this.deps.store.getIn(storageId(t.type), t.namespace, t.name!);
    if (!o) {
      throw notFound(
        `${t.type.plural}${t.type.group ? `.${t.type.group}` : ''} "${
          t.name
        }" not found`,
        {
          name: t.name,
          group: t.type.group || undefined,
          kind: t.type.plural,
        },
      );
    }
    if (wantsTable(req.headers.accept)) {
      return sendJson(
        res,
        200,
        tableFor(t.type, [o], this.deps.clock.now(), {
          resourceVersion: o.metadata.resourceVersion,
        }),
      );
    }
    return sendJson(res, 200, this.render(t.type, o));
  }

  private list(
    req: IncomingMessage,
    res: ServerResponse,
    t: Target,
    q: URLSearchParams,
  ) {
    const { store } = this.deps;
    const storage = storageId(t.type);
    const lm = labelMatcher(q.get('labelSelector'));
    const fm = fieldMatcher(q.get('fieldSelector'), t.type);
    const limit = Number(q.get('limit') ?? 0) || 0;
    const cont = q.get('continue');
    const rvParam = q.get('resourceVersion') ?? '';
    const rvMatch = q.get('resourceVersionMatch') ?? '';
    let atRv = store.resourceVersion;
    let start = '';
    let items: KubeObject[];
    if (cont) {
      if (rvParam)
        throw badRequest(
          'specifying resource version is not allowed when using continue',
        );
      const c = decodeContinue(cont);
      atRv = c.rv;
      start = c.start;
      const expired = Date.now() - c.t > this.deps.continueTtlMs;
      try {
        if (expired) throw new TooOldError(c.rv, store.oldestWatchableRv + 1);
        items = store.listAt(storage, atRv, t.namespace);
      } catch (e) {
        if (!(e instanceof TooOldError)) throw e;
        const inconsistent = encodeContinue(
          store.resourceVersion,
          start,
          Date.now(),
        );
        const st = makeStatus(410, 'Expired', EXPIRED_CONTINUE);
        st.metadata = { continue: inconsistent };
        return sendJson(res, 410, st);
      }
    } else if (rvParam && rvParam !== '0' && rvMatch === 'Exact') {
      const n = Number(rvParam);
      if (!Number.isInteger(n))
        throw badRequest(`invalid resource version: ${rvParam}`);
      atRv = n;
      items = store.listAt(storage, n, t.namespace); // TooOldError → 410 Expired
    } else {
      if (rvParam && rvParam !== '0') {
        const n = Number(rvParam);
        if (!Number.isInteger(n))
          throw badRequest(`invalid resource version: ${rvParam}`);
        if (n > store.resourceVersion) {
          throw new ApiError(
            504,
            'Timeout',
            `Too large resource version: ${n}, current resource version: ${store.resourceVersion}`,
            {
              causes: [
                {
                  reason: 'ResourceVersionTooLarge',
                  message: 'Too large resource version',
                },
              ],
              retryAfterSeconds: 1,
            },
          );
        }
      }
      items = store.listIn(storage, t.namespace);
    }
    let selected = items.filter(o => lm(o) && fm(o));
    if (start) selected = selected.filter(o => keyOf(o) > start);
    const meta: Record<string, unknown> = { resourceVersion: String(atRv) };
    if (limit > 0 && selected.length > limit) {
      const remaining = selected.length - limit;
      selected = selected.slice(0, limit);
      meta.continue = encodeContinue(
        atRv,
        keyOf(selected[selected.length - 1]),
        cont ? decodeContinue(cont).t : Date.now(),
      );
      meta.remainingItemCount = remaining;
    }
    if (wantsTable(req.headers.accept)) {
      return sendJson(
        res,
        200,
        tableFor(t.type, selected, this.deps.clock.now(), meta),
      );
    }
    // typed lists carry no per-item kind/apiVersion; custom resources (unstructured) do
    const builtin = !t.type.custom;
    const rendered = selected.map(o => {
      const r = this.render(t.type, o);
      if (!builtin) return r;
      const { apiVersion: _a, kind: _k, ...rest } = r;
      return rest;
    });
    return sendJson(res, 200, {
      kind: t.type.listKind,
      apiVersion: groupVersion(t.type),
      metadata: meta,
      items: rendered,
    });
  }

  private watch(
    req: IncomingMessage,
    res: ServerResponse,
    t: Target,
    q: URLSearchParams,
    path: string,
  ) {
    const { deps } = this;
    const bool = (k: string) => ['1', 'true'].includes(q.get(k) ?? '');
    const sendInitialEvents = bool('sendInitialEvents');
    if (sendInitialEvents && q.get('resourceVersionMatch') !== 'NotOlderThan') {
      throw new ApiError(
        422,
        'Invalid',
        `ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan`,
      );
    }
    if (sendInitialEvents && !bool('allowWatchBookmarks')) {
      throw new ApiError(
        422,
        'Invalid',
        `ListOptions.meta.k8s.io "" is invalid: allowWatchBookmarks: Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true`,
      );
    }
    const timeout = q.get('timeoutSeconds');
    const table = wantsTable(req.headers.accept);
    let first = true;
    const render = (o: KubeObject) => {
      if (!table) return this.render(t.type, o);
      const out = tableFor(
        t.type,
        [o],
        deps.clock.now(),
        { resourceVersion: o.metadata.resourceVersion },
        first,
      );
      first = false;
      return out as unknown as KubeObject;
    };
    const stream = new WatchStream(
      path,
      {
        type: t.type,
        namespace: t.namespace,
        resourceVersion: q.get('resourceVersion') ?? undefined,
        allowWatchBookmarks: bool('allowWatchBookmarks'),
        sendInitialEvents,
        timeoutSeconds: timeout ? Number(timeout) : undefined,
        labelMatch: labelMatcher(q.get('labelSelector')),
        fieldMatch: t.name
          ? o =>
              o.metadata.name === t.name &&
              fieldMatcher(q.get('fieldSelector'), t.type)(o)
          : fieldMatcher(q.get('fieldSelector'), t.type),
        render,
      },
      req,
      res,
      deps.store,
      deps.clock,
      deps.watch,
      w => deps.hub.remove(w),
    );
    deps.hub.add(stream);
    stream.start(deps.faults.stallForNewWatch());
  }

  private async create(req: IncomingMessage, res: ServerResponse, t: Target) {
    const body = await readBody(req);
    if (!body || typeof body !== 'object')
      throw badRequest('the request body is empty');
    let o: KubeObject = { ...body, metadata: { ...(body.metadata ?? {}) } };
    if (t.type.fromView) o = t.type.fromView(o);
    else {
      o.apiVersion = groupVersion(t.type);
      o.kind = t.type.kind;
    }
    if (t.type.namespaced) {
      if (
        o.metadata.namespace &&
        t.namespace &&
        o.metadata.namespace !== t.namespace
      ) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      o.metadata.namespace = t.namespace ?? o.metadata.namespace;
      const ns = o.metadata.namespace || 'default';
      // the NamespaceLifecycle admission plugin refuses objects in missing namespaces
      if (!this.deps.store.getIn('core/namespaces', undefined, ns)) {
        throw notFound(`namespaces "${ns}" not found`, {
          name: ns,
          kind: 'namespaces',
        });
      }
    }
    const created = this.deps.store.create(o);
    sendJson(res, 201, this.render(t.type, created));
  }

  private async update(
    req: IncomingMessage,
    res: ServerResponse,
    t: Target,
    verb: string,
  ) {
    const body = await readBody(req);
    const { store } = this.deps;
    const cur = store.getIn(storageId(t.type), t.namespace, t.name!);
    if (!cur) {
      throw notFound(
        `${t.type.plural}${t.type.group ? `.${t.type.group}` : ''} "${
          t.name
        }" not found`,
        { name: t.name, kind: t.type.plural },
      );
    }
    let next: KubeObject;
    if (verb === 'patch') {
      const ct = req.headers['content-type'] ?? '';
      if (!/merge-patch|strategic-merge-patch/.test(ct)) {
        throw new ApiError(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json`,
        );
      }
      const view = this.render(t.type, cur);
      next = mergePatch(view, body);
    } else {
      next = body;
    }
    if (t.type.fromView) next = t.type.fromView(next);
    next = {
      ...next,
      apiVersion: cur.apiVersion,
      kind: cur.kind,
      metadata: { ...next.metadata, name: t.name, namespace: t.namespace },
    };
    if (t.subresource === 'status') next = { ...cur, status: next.status };
    const updated = store.update(next, { checkRv: verb === 'update' });
    sendJson(res, 200, this.render(t.type, updated));
  }

  private async remove(
    req: IncomingMessage,
    res: ServerResponse,
    t: Target,
    q: URLSearchParams,
  ) {
    const { store } = this.deps;
    const cur = store.getIn(storageId(t.type), t.namespace, t.name!);
    if (!cur) {
      throw notFound(
        `${t.type.plural}${t.type.group ? `.${t.type.group}` : ''} "${
          t.name
        }" not found`,
        { name: t.name, kind: t.type.plural },
      );
    }
    const body = await readBody(req).catch(() => undefined);
    const grace = q.get('gracePeriodSeconds') ?? body?.gracePeriodSeconds;
    if (t.type.kind === 'Pod' && !t.type.group && this.deps.onDeletePod) {
      const o = this.deps.onDeletePod(
        cur,
        grace !== undefined ? Number(grace) : undefined,
      );
      if (o) {
        sendJson(res, 200, this.render(t.type, o));
        return;
      }
    }
    const ref = {
      apiVersion: cur.apiVersion!,
      kind: cur.kind!,
      namespace: t.namespace,
      name: t.name!,
    };
    const deleted = store.delete(ref);
    if (t.type.kind === 'Pod')
      this.deps.logs.removePod(t.namespace ?? '', t.name!);
    sendJson(res, 200, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name: t.name,
        group: t.type.group || undefined,
        kind: t.type.plural,
        uid: deleted.metadata.uid,
      },
    });
  }

  private async playScript(
    req: IncomingMessage,
    res: ServerResponse,
    s: import('../faults/faults').ScriptedResponse,
  ) {
    res.writeHead(s.status ?? 200, {
      'Content-Type': s.contentType ?? 'application/json',
      'Transfer-Encoding': 'chunked',
    });
    let closed = false;
    req.on('close', () => {
      closed = true;
    });
    for (const c of s.chunks) {
      if (closed) return;
      res.write(c);
      if (s.chunkDelayMs) await new Promise(r => setTimeout(r, s.chunkDelayMs));
      else await new Promise(r => setImmediate(r));
    }
    if (!s.keepOpen) res.end();
  }
}
