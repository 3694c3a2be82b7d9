import { ObjectStore } from '../store/store';
import { WatchHub } from '../watch/watch';

/** Which requests a fault applies to; every given field must match. */
export interface RequestMatch {
  method?: string;
  /** Substring of, or RegExp on, the URL path (without query). */
  path?: string | RegExp;
  /** true: only watch requests; false: only non-watch requests. */
  watch?: boolean;
  /** Resource plural, e.g. 'pods'. */
  resource?: string;
  verb?: string;
}

export interface RequestInfo {
  method: string;
  path: string;
  watch: boolean;
  resource?: string;
  verb?: string;
}

export interface HttpErrorFault {
  status: number;
  /** Retry-After header (seconds), sent with 429 and 503. */
  retryAfterSeconds?: number;
  /** How many requests fail; unlimited when omitted. */
  times?: number;
  match?: RequestMatch;
  message?: string;
}

export interface ScriptedResponse {
  match: RequestMatch;
  /** Raw body chunks written one by one (watch replay: exact chunk boundaries). */
  chunks: string[];
  status?: number;
  contentType?: string;
  /** Wall ms between chunks. */
  chunkDelayMs?: number;
  /** How many requests get this response; 1 when omitted. */
  times?: number;
  /** Keep the connection open after the last chunk (until the client closes). */
  keepOpen?: boolean;
}

interface Rule<T> {
  spec: T;
  remaining: number;
}

function matches(m: RequestMatch | undefined, r: RequestInfo): boolean {
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== r.method) return false;
  if (m.watch !== undefined && m.watch !== r.watch) return false;
  if (m.resource && m.resource !== r.resource) return false;
  if (m.verb && m.verb !== r.verb) return false;
  if (m.path) {
    if (
      typeof m.path === 'string'
        ? !r.path.includes(m.path)
        : !m.path.test(r.path)
    )
      return false;
  }
  return true;
}

/**
 * Fault injection. Rules apply to requests as they arrive; the stream faults act on
 * the watches open right now.
 */
export class Faults {
  private errors: Rule<HttpErrorFault>[] = [];
  private latencies: Array<{ ms: number; match?: RequestMatch }> = [];
  private scripts: Rule<ScriptedResponse>[] = [];
  private newWatchStallMs = 0;
  /** Counters for assertions: how many times each fault fired. */
  readonly fired = {
    httpErrors: 0,
    scripted: 0,
    dropped: 0,
    midChunk: 0,
    malformed: 0,
    stalled: 0,
    restarts: 0,
  };

  constructor(
    private readonly hub: WatchHub,
    private readonly store: ObjectStore,
  ) {}

  /** Replies `status` (429/500/503/…) with a Status body to matching requests. */
  httpError(spec: HttpErrorFault): () => void {
    const rule = { spec, remaining: spec.times ?? Infinity };
    this.errors.push(rule);
    return () => {
      this.errors = this.errors.filter(r => r !== rule);
    };
  }

  /** Adds `ms` of latency before matching requests are answered. */
  latency(ms: number, match?: RequestMatch): () => void {
    const rule = { ms, match };
    this.latencies.push(rule);
    return () => {
      this.latencies = this.latencies.filter(r => r !== rule);
    };
  }

  /** Answers matching requests with exact bytes (replays recorded streams). */
  script(spec: ScriptedResponse): () => void {
    const rule = { spec, remaining: spec.times ?? 1 };
    this.scripts.push(rule);
    return () => {
      this.scripts = this.scripts.filter(r => r !== rule);
    };
  }

  /** Drops open watch connections (no clean end). Returns how many. */
  dropWatches(filter?: { resource?: string }): number {
    const ws = this.hub.select(filter);
    ws.forEach(w => w.destroy());
    this.fired.dropped += ws.length;
    return ws.length;
  }

  /** Writes half a JSON line to open watches and cuts the connection. */
  closeMidChunk(filter?: { resource?: string }): number {
    const ws = this.hub.select(filter);
    ws.forEach(w => w.closeMidChunk());
    this.fired.midChunk += ws.length;
    return ws.length;
  }

  /** Writes a line that is not valid JSON to open watches. */
  malformedLine(filter?: { resource?: string }): number {
    const ws = this.hub.select(filter);
    ws.forEach(w => w.malformedLine());
    this.fired.malformed += ws.length;
    return ws.length;
  }

  /** Open watches (and, with includeNew, watches opened meanwhile) send no bytes for `ms`. */
  stall(
    ms: number,
    options: { resource?: string; includeNew?: boolean } = {},
  ): number {
    const ws = this.hub.select(options);
    ws.forEach(w => w.stall(ms));
    if (options.includeNew) {
      this.newWatchStallMs = ms;
      const until = Date.now() + ms;
      this.stallUntil = until;
    }
    this.fired.stalled += ws.length;
    return ws.length;
  }

  private stallUntil = 0;

  /** Stall to apply to a watch starting now. */
  stallForNewWatch(): number {
    const left = this.stallUntil - Date.now();
    return left > 0 && this.newWatchStallMs ? left : 0;
  }

  /**
   * Simulates an apiserver restart: every watch is ended (graceful shutdown closes
   * them cleanly) and, with compact, the watch history is emptied so resuming from
   * any earlier resourceVersion gets 410 Expired.
   */
  restart(options: { compact?: boolean } = { compact: true }) {
    this.fired.restarts++;
    if (options.compact !== false) this.store.compact();
    for (const w of this.hub.select()) w.finish(true);
  }

  /** Removes every rule. */
  clear() {
    this.errors = [];
    this.latencies = [];
    this.scripts = [];
    this.newWatchStallMs = 0;
    this.stallUntil = 0;
  }

  // --- used by the server ---

  latencyFor(r: RequestInfo): number {
    return this.latencies
      .filter(l => matches(l.match, r))
      .reduce((a, l) => a + l.ms, 0);
  }

  takeError(r: RequestInfo): HttpErrorFault | undefined {
    const rule = this.errors.find(
      e => e.remaining > 0 && matches(e.spec.match, r),
    );
    if (!rule) return undefined;
    rule.remaining--;
    this.fired.httpErrors++;
    if (rule.remaining <= 0) this.errors = this.errors.filter(e => e !== rule);
    return rule.spec;
  }

  takeScript(r: RequestInfo): ScriptedResponse | undefined {
    const rule = this.scripts.find(
      s => s.remaining > 0 && matches(s.spec.match, r),
    );
    if (!rule) return undefined;
    rule.remaining--;
    this.fired.scripted++;
    if (rule.remaining <= 0)
      this.scripts = this.scripts.filter(s => s !== rule);
    return rule.spec;
  }
}
