/** Compact age like kubectl's AGE column: `45s`, `12m`, `3h`, `2d`. */
export function formatAge(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return '—';
  return formatDuration(Math.max(0, ms));
}

/** Compact duration: `45s`, `12m`, `3h 5m`, `2d 4h`. */
export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/** Local date and time, for tooltips and detail views. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** Restarts per hour over the pod's lifetime is misleading; this says how recent the last one was. */
export function restartRate(
  restarts: number,
  lastRestartAt: string | undefined,
  now = Date.now(),
): string | undefined {
  if (restarts === 0 || !lastRestartAt) return undefined;
  return `last ${formatAge(lastRestartAt, now)} ago`;
}
