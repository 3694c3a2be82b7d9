import {
  DependencyList,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';

function sameJson(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** State of a polled request. */
export interface PollingState<T> {
  /** The newest successful result; kept while a later request fails, so the page shows the last data. */
  value?: T;
  /** The newest request's error, cleared by the next success. */
  error?: Error;
  /** No result yet and a request is in flight. */
  loading: boolean;
  /** When `value` was received. */
  updatedAt?: Date;
  paused: boolean;
  setPaused(paused: boolean): void;
  /** Load now (also when paused). */
  refresh(): void;
}

/**
 * Runs `fn` now, whenever `deps` change, and every `intervalMs` unless paused or the tab is hidden.
 * Responses of superseded requests are dropped; requests never overlap.
 */
export function usePolling<T>(
  fn: () => Promise<T>,
  intervalMs: number,
  deps: DependencyList,
): PollingState<T> {
  const [state, setState] = useState<{
    value?: T;
    error?: Error;
    updatedAt?: Date;
    inFlight: boolean;
  }>({ inFlight: true });
  const [paused, setPaused] = useState(false);
  const generation = useRef(0);
  const inFlight = useRef(false);
  const fnRef = useRef(fn);
  fnRef.current = fn;

  const load = useCallback((force: boolean) => {
    if (inFlight.current && !force) return;
    const mine = ++generation.current;
    inFlight.current = true;
    setState(s => (s.inFlight ? s : { ...s, inFlight: true }));
    fnRef.current().then(
      value => {
        if (mine !== generation.current) return;
        inFlight.current = false;
        // an unchanged answer keeps the old object, so memoised views do not re-render
        setState(s => ({
          value: sameJson(s.value, value) ? s.value : value,
          updatedAt: new Date(),
          inFlight: false,
        }));
      },
      error => {
        if (mine !== generation.current) return;
        inFlight.current = false;
        setState(s => ({ ...s, error, inFlight: false }));
      },
    );
  }, []);

  // a change of what is asked for supersedes any request in flight
  useEffect(() => {
    load(true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  useEffect(() => {
    if (paused || intervalMs <= 0) return undefined;
    const timer = setInterval(() => {
      if (typeof document !== 'undefined' && document.hidden) return;
      load(false);
    }, intervalMs);
    return () => clearInterval(timer);
  }, [paused, intervalMs, load]);

  const refresh = useCallback(() => load(true), [load]);

  return {
    value: state.value,
    error: state.error,
    loading: state.inFlight && state.value === undefined,
    updatedAt: state.updatedAt,
    paused,
    setPaused,
    refresh,
  };
}
