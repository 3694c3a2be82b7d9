import {
  ExceptionFolder,
  fingerprintLog,
  LogEntry,
  redactSecretLines,
} from '@pod-watch/plugin-pod-watch-common';
import type { LogLineInput } from '../store';

const TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) ?/;

/** One line of `kubectl logs --timestamps` output. */
export interface TimedLine {
  at: string;
  text: string;
}

/** How a stored line shows that only its start was captured (as the store marks its cap). */
export const TRUNCATED_MARK = '…[truncated]';

/** A line, its time parsed from the kubelet's prefix when it has one (else `at`). */
function timedLine(
  raw: string,
  at: string,
): { line: TimedLine; timed: boolean } {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const m = TIMESTAMP.exec(text);
  const ms = m ? Date.parse(m[1]) : NaN;
  return {
    line: {
      at: Number.isFinite(ms) ? new Date(ms).toISOString() : at,
      text: m ? text.slice(m[0].length) : text,
    },
    timed: Number.isFinite(ms),
  };
}

/**
 * Splits `timestamps=true` log output into lines. A last line without a newline was cut by
 * limitBytes and is dropped (see {@link parseLogRead}); lines without a timestamp (should
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
    const { line } = timedLine(raw, at);
    at = line.at;
    out.push(line);
  }
  return out;
}

/** One log read: its complete lines, and whether limitBytes cut it (and which line, if known). */
export interface LogRead {
  lines: TimedLine[];
  cut: boolean;
  /** the start of the line the cut fell in, when its timestamp arrived whole */
  cutLine?: TimedLine;
}

/**
 * Parses a log read made with `limitBytes`. The kubelet ends every line with a newline, so a
 * body that reached the limit without one was cut inside its last line. (A character cut in
 * half decodes to U+FFFD, which is never shorter, so the byte test holds.)
 */
export function parseLogRead(
  body: string,
  fallbackAt: string,
  limitBytes: number,
): LogRead {
  const lines = parseTimestampedLogs(body, fallbackAt);
  const rest = body.slice(body.lastIndexOf('\n') + 1);
  const cut = rest !== '' && Buffer.byteLength(body) >= limitBytes;
  if (!cut) return { lines, cut };
  const { line, timed } = timedLine(rest, lines[lines.length - 1]?.at ?? '');
  return { lines, cut, cutLine: timed ? line : undefined };
}

/** `at` as the kubelet applies a sinceTime: RFC 3339 whole seconds (the API server drops the fraction). */
export function logSecond(at: string): string {
  return `${at.slice(0, 19)}Z`;
}

/** The second after {@link logSecond}. */
export function nextLogSecond(at: string): string {
  return logSecond(new Date(Date.parse(logSecond(at)) + 1000).toISOString());
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
  // over the whole batch: a private-key block printed over several lines is one secret
  const redacted = redactSecretLines(lines.map(l => l.text)).map((text, i) => ({
    at: lines[i].at,
    text,
  }));
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
