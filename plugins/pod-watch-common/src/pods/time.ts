/**
 * Kubernetes times arrive as RFC 3339 strings from raw JSON and as `Date` from
 * `@kubernetes/client-node`'s deserialiser; typed as Date, accepted as either.
 */
export type KubeTime = Date | string | undefined | null;

/** Milliseconds since the epoch, or NaN when absent or unparseable. */
export function toMillis(value: KubeTime): number {
  if (value === undefined || value === null || value === '') {
    return NaN;
  }
  if (typeof value === 'string') {
    return Date.parse(value);
  }
  return value instanceof Date ? value.getTime() : NaN;
}

/** ISO string for a millisecond time (undefined for NaN). */
export function toIso(ms: number): string | undefined {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** Short human duration in the style of kubectl (`45s`, `12m`, `3h`, `2d`). */
export function shortDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}
