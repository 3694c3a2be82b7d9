import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  KubeConfig,
  RequestContext,
} from '@kubernetes/client-node';
import { redactKnownCredentials } from './redactCredentials';

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

const DISPATCHER_MAX_AGE_MS = 5 * 60_000;

/** A failed API call: HTTP status (0 for connection errors), Kubernetes reason, Retry-After. */
export class KubeApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason?: string,
    readonly retryAfterSeconds?: number,
    /** the Status body, for 410 continue tokens */
    readonly body?: any,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }

  /** 410 Gone / Expired: the resourceVersion or continue token is too old. */
  get gone() {
    return this.status === 410;
  }
}

export interface StreamResponse {
  /** the response body as a web stream */
  body: ReadableStream<Uint8Array>;
}

type Query = Record<string, string | number | boolean | undefined>;

function retryAfterOf(headers: Record<string, string>, body: any) {
  const header = headers['retry-after'];
  const seconds = header !== undefined ? Number(header) : NaN;
  if (Number.isFinite(seconds)) return seconds;
  const fromBody = body?.details?.retryAfterSeconds;
  return typeof fromBody === 'number' ? fromBody : undefined;
}

/**
 * Raw requests to one cluster through client-node's own HTTP machinery (its KubeConfig auth,
 * TLS and undici dispatcher), for what the generated clients do not offer: streamed watches we
 * parse ourselves, any group/version/plural, status codes and Retry-After on errors.
 */
export class KubeClient {
  private readonly http = new IsomorphicFetchHttpLibrary();
  private pooled?: { dispatcher: Dispatcher; since: number };

  constructor(readonly kubeConfig: KubeConfig) {}

  get server(): string {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    return cluster.server.replace(/\/+$/, '');
  }

  private async send(
    path: string,
    query: Query,
    signal?: AbortSignal,
    accept = 'application/json',
  ) {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const ctx = new RequestContext(url.toString(), HttpMethod.GET);
    ctx.setHeaderParam('Accept', accept);
    await this.kubeConfig.applySecurityAuthentication(ctx);
    this.reuseConnections(ctx);
    if (signal) ctx.setSignal(signal);
    // errors end up in logs, the sync status and API answers: never with a credential, even
    // when the server (or a proxy) echoes the one this request sent
    const redact = (text: string) =>
      redactKnownCredentials(text, this.kubeConfig, [
        ctx.getHeaders().Authorization?.replace(/^\S+\s+/, ''),
      ]);
    let res;
    try {
      res = await this.http.send(ctx).toPromise();
    } catch (e) {
      if (signal?.aborted) throw e;
      const err = e as Error & { cause?: Error };
      throw new KubeApiError(
        redact(`connection error: ${err.cause?.message ?? err.message}`),
        0,
      );
    }
    if (res.httpStatusCode >= 200 && res.httpStatusCode < 300) return res;
    const text = await res.body.text().catch(() => '');
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (typeof body?.message === 'string') body.message = redact(body.message);
    throw new KubeApiError(
      redact(
        `${path}: ${res.httpStatusCode} ${body?.message ?? text.slice(0, 200)}`,
      ),
      res.httpStatusCode,
      body?.reason,
      retryAfterOf(res.headers, body),
      body,
    );
  }

  /**
   * client-node builds a new undici Agent for every request, so every list page, watch and log
   * read paid a TCP and TLS handshake. One agent serves DISPATCHER_MAX_AGE_MS of requests
   * instead; the next one is built from the kubeconfig again, so rotated client certificates
   * are picked up, and the old one closes once its requests (long watches too) are done.
   */
  private reuseConnections(ctx: RequestContext) {
    const built = ctx.getDispatcher();
    if (!built) return;
    const now = Date.now();
    if (!this.pooled || now - this.pooled.since > DISPATCHER_MAX_AGE_MS) {
      const old = this.pooled?.dispatcher;
      this.pooled = { dispatcher: built, since: now };
      old?.close().catch(() => {});
    }
    ctx.setDispatcher(this.pooled.dispatcher);
  }

  async getJson<T = any>(
    path: string,
    query: Query = {},
    signal?: AbortSignal,
  ): Promise<T> {
    const res = await this.send(path, query, signal);
    return JSON.parse(await res.body.text()) as T;
  }

  async getText(
    path: string,
    query: Query = {},
    signal?: AbortSignal,
  ): Promise<string> {
    const res = await this.send(path, query, signal, 'text/plain, */*');
    return res.body.text();
  }

  async stream(
    path: string,
    query: Query,
    signal: AbortSignal,
  ): Promise<StreamResponse> {
    const res = await this.send(path, query, signal);
    const body = res.body.stream();
    if (!body) throw new KubeApiError(`${path}: empty watch response`, 0);
    return { body };
  }
}
