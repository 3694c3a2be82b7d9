import type { LogEntryItem } from '@pod-watch/plugin-pod-watch-common';

/** Level chips, in display order. `exception` matches folded stack traces whatever their level. */
export const LEVEL_CHIPS = [
  'error',
  'warning',
  'exception',
  'info',
  'all',
] as const;
export type LevelChip = (typeof LEVEL_CHIPS)[number];

export const LEVEL_LABELS: Record<LevelChip, string> = {
  error: 'Error',
  warning: 'Warning',
  exception: 'Exception',
  info: 'Info',
  all: 'All',
};

/** Whether an entry shows under a chip (levels come from the common package's classifier, via the API). */
export function matchesLevel(entry: LogEntryItem, chip: LevelChip): boolean {
  if (chip === 'all') return true;
  if (chip === 'exception') return entry.exception;
  return entry.level === chip;
}

export function levelCounts(
  entries: readonly LogEntryItem[],
): Record<LevelChip, number> {
  const counts: Record<LevelChip, number> = {
    error: 0,
    warning: 0,
    exception: 0,
    info: 0,
    all: entries.length,
  };
  for (const e of entries) {
    if (e.level === 'error') counts.error++;
    else if (e.level === 'warning') counts.warning++;
    else if (e.level === 'info') counts.info++;
    if (e.exception) counts.exception++;
  }
  return counts;
}
