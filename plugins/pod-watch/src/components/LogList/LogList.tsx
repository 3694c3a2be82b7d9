import type { LogEntryItem } from '@pod-watch/plugin-pod-watch-common';
import { useCallback, useMemo, useState } from 'react';
import { LogLine } from './LogLine';
import { rowOffsets, visibleRange } from './windowing';

/**
 * Log entries in a windowed list: only the rows in view (plus overscan) are in the DOM, so 10k+
 * lines scroll smoothly. Rows have a fixed line height; expanded exceptions are taller.
 */
export function LogList(props: {
  entries: readonly LogEntryItem[];
  query?: string;
  /** Viewport height in px. */
  height?: number;
  lineHeight?: number;
  /** Show pod/container on each line (when several are mixed). */
  showSource?: boolean;
}) {
  const {
    entries,
    query,
    height = 560,
    lineHeight = 20,
    showSource = true,
  } = props;
  const [scrollTop, setScrollTop] = useState(0);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());

  const onToggle = useCallback((id: number) => {
    setExpanded(prev => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const offsets = useMemo(
    () =>
      rowOffsets(
        entries.map(
          e => (expanded.has(e.id) ? e.lines.length : 1) * lineHeight,
        ),
      ),
    [entries, expanded, lineHeight],
  );
  const { start, end } = visibleRange(offsets, scrollTop, height);
  const total = offsets[offsets.length - 1];

  return (
    // the scroll container must be focusable so keyboard users can scroll it
    <div
      role="list"
      aria-label={`Log lines (${entries.length})`}
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
      onScroll={e => setScrollTop(e.currentTarget.scrollTop)}
      style={{
        height,
        overflow: 'auto',
        position: 'relative',
        outlineOffset: -2,
      }}
    >
      <div
        style={{ height: total, position: 'relative', minWidth: 'max-content' }}
      >
        {entries.slice(start, end).map((entry, i) => (
          <div
            key={entry.id}
            style={{
              position: 'absolute',
              top: offsets[start + i],
              left: 0,
              right: 0,
            }}
          >
            <LogLine
              entry={entry}
              expanded={expanded.has(entry.id)}
              onToggle={onToggle}
              query={query}
              lineHeight={lineHeight}
              showSource={showSource}
            />
          </div>
        ))}
      </div>
    </div>
  );
}
