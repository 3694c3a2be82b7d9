import yaml from 'js-yaml';
// test-only: reads ../shared/fixtures from Node; never part of the published package
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { readFixture } from '@pod-watch/test-fixtures';
import type { V1Pod } from '@kubernetes/client-node';

/** Parses a YAML fixture keeping timestamps as strings (as the API server sends them). */
export function loadYaml<T = unknown>(relative: string): T {
  return yaml.load(readFixture(relative), { schema: yaml.CORE_SCHEMA }) as T;
}

export function loadJson<T = unknown>(relative: string): T {
  return JSON.parse(readFixture(relative)) as T;
}

/** Pods of a file holding a Pod or a List / PodList of pods. */
export function podsOf(doc: unknown): V1Pod[] {
  const d = doc as { kind?: string; items?: V1Pod[] };
  if (d && Array.isArray(d.items)) return d.items;
  return [d as V1Pod];
}

const PLACEHOLDER = /^@now(?:([+-])(\d+)([smhd]))?$/;
const UNIT_MS: Record<string, number> = { s: 1e3, m: 6e4, h: 36e5, d: 864e5 };

/**
 * Replaces is-healthy's `@now-5m` style placeholders with RFC 3339 times relative to `now`,
 * as flanksource/is-healthy's test harness does.
 */
export function resolveNowPlaceholders<T>(value: T, now: Date): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const m = PLACEHOLDER.exec(v);
      if (!m) return v;
      const delta = m[1]
        ? (m[1] === '-' ? -1 : 1) * Number(m[2]) * UNIT_MS[m[3]]
        : 0;
      return new Date(now.getTime() + delta)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k, walk(x)]),
      );
    }
    return v;
  };
  return walk(value) as T;
}

/** Latest RFC 3339 time anywhere in an object: when a static dump was taken, roughly. */
export function latestTimestamp(value: unknown): number {
  let latest = NaN;
  const walk = (v: unknown) => {
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(v)) {
      const t = Date.parse(v);
      if (!(t <= latest)) latest = t;
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v && typeof v === 'object') {
      Object.values(v).forEach(walk);
    }
  };
  walk(value);
  return latest;
}
