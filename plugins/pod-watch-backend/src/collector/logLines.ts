import {
  ExceptionFolder,
  fingerprintLog,
  LogEntry,
  redactSecrets,
} from '@pod-watch/plugin-pod-watch-common';
import type { LogLineInput } from '../store';

const TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) ?/;

/** One line of `kubectl logs --timestamps` output. */
export interface TimedLine {
  at: string;
  text: string;
}

/**
 * Splits `timestamps=true` log output into lines. A last line without a newline was cut by
 * limitBytes and is dropped (the next run reads it whole); lines without a timestamp (should
 * not happen) inherit the previous line's time.
 */
export function parseTimestampedLogs(
  body: string,
  fallbackAt: string,
): TimedLine[] {
  const parts = body.split('\n');
  parts.pop(); // '' after the final newline, or a line cut short
  const out: TimedLine[] = [];
  let at = fallbackAt;
  for (const raw of parts) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const m = TIMESTAMP.exec(line);
    if (m) {
      const ms = Date.parse(m[1]);
      if (Number.isFinite(ms)) at = new Date(ms).toISOString();
    }
    out.push({ at, text: m ? line.slice(m[0].length) : line });
  }
  return out;
}

/**
 * Redacts, classifies, folds and fingerprints captured lines into store input: every line of a
 * folded exception carries the entry's level, the exception flag and one fingerprint.
 */
export function toLogLineInputs(
  lines: readonly TimedLine[],
  /** where the lines come from: everything of a stored line but the line itself */
  target: Omit<
    LogLineInput,
    'at' | 'level' | 'exception' | 'fingerprint' | 'text'
  >,
): LogLineInput[] {
  const redacted = lines.map(l => ({ at: l.at, text: redactSecrets(l.text) }));
  const folder = new ExceptionFolder();
  const entries: LogEntry[] = [];
  for (const l of redacted) entries.push(...folder.push(l.text));
  entries.push(...folder.flush());
  const out: LogLineInput[] = [];
  for (const entry of entries) {
    const fingerprint = fingerprintLog(entry.lines);
    entry.lines.forEach((text, i) => {
      const line = redacted[entry.firstLine + i];
      out.push({
        ...target,
        at: line?.at ?? redacted[redacted.length - 1]?.at,
        level: entry.level,
        exception: entry.exception,
        fingerprint,
        text,
      });
    });
  }
  return out;
}
