import type { LogLevel } from '../types';
import { classifyLogLine, maxLevel, stripKubeletTimestamp } from './classify';

/**
 * One log entry: a single line, or a multi-line exception folded into one.
 *
 * @public
 */
export interface LogEntry {
  lines: string[];
  level: LogLevel;
  /** True when the entry is an exception / stack trace (a start with at least one more line, or a strong start). */
  exception: boolean;
  /** Index of the entry's first line in the input. */
  firstLine: number;
}

/** Trace languages whose following lines need context the stateless classifier cannot have. */
type TraceKind = 'java' | 'python' | 'go' | 'php' | 'dart' | 'ruby' | 'other';

// Lines that can only be read as part of a trace when one is open.
const GO_FUNC_LINE = /^(?:[^\s.:]+\.)*[^\s.():]+\(|^created by /;
const PYTHON_LAST_LINE = /^(?:[^\s.():]+\.)*[^\s.():]+:/;
const JAVA_HEADER = /^[\w$.]+(?:Exception|Error|Throwable)\b/;
const NESTED_IS = /nested exception is:\s*$/;
const RUNTIME_START =
  /^(?:panic: |goroutine \d+ \[|Unhandled exception:)|http: panic serving/;
const STRONG_START =
  /^(?:Traceback \(|panic: |Unhandled exception:|goroutine \d+ \[)/;

function traceKindOf(line: string): TraceKind {
  if (line.startsWith('Traceback (')) return 'python';
  if (line.indexOf('panic') !== -1 || line.startsWith('goroutine '))
    return 'go';
  if (line.startsWith('PHP ') || line.indexOf("exception '") !== -1)
    return 'php';
  if (line.startsWith('Unhandled exception:')) return 'dart';
  if (line.endsWith('):')) return 'ruby';
  return 'java';
}

/**
 * Groups log lines into entries, folding each multi-line exception into one entry.
 * Feed lines with {@link ExceptionFolder.push}; completed entries come back from `push`
 * and {@link ExceptionFolder.flush}. A plain error/warning line directly followed by a trace
 * (logback's "ERROR … Failed" + "java.lang.RuntimeException") is folded with it.
 *
 * @public
 */
export class ExceptionFolder {
  private current: LogEntry | undefined;
  private kind: TraceKind = 'other';
  private inTrace = false;
  /** Blank lines seen inside a trace, kept until we know whether the trace continues. */
  private pendingBlank: Array<{ line: string; index: number }> = [];
  private prevLine = '';
  private index = 0;
  private closedByEnd = false;

  /** Adds a line; returns entries completed by it (zero, one or two). */
  push(line: string): LogEntry[] {
    const out: LogEntry[] = [];
    const lineIndex = this.index++;
    const trimmedEnd = line.endsWith('\r') ? line.slice(0, -1) : line;
    // context rules look at the line as the application wrote it
    const text = stripKubeletTimestamp(trimmedEnd);
    const cls = classifyLogLine(text);

    if (this.current && this.inTrace && !this.closedByEnd) {
      if (text.trim() === '') {
        this.pendingBlank.push({ line: trimmedEnd, index: lineIndex });
        this.prevLine = text;
        return out;
      }
      if (this.continues(text, cls.exception)) {
        this.appendPending();
        this.current.lines.push(trimmedEnd);
        this.current.level = maxLevel(this.current.level, cls.level);
        this.afterAppend(text);
        this.prevLine = text;
        return out;
      }
    }

    // not part of the open trace
    if (
      cls.exception &&
      this.current &&
      !this.inTrace &&
      this.current.lines.length === 1 &&
      (this.current.level === 'error' || this.current.level === 'warning') &&
      this.current.firstLine === lineIndex - 1 &&
      // a logger's text message announcing the trace, not a structured line, and not a
      // runtime crash (Go panic, Dart), which is printed on its own
      !this.prevLine.startsWith('{') &&
      !RUNTIME_START.test(text)
    ) {
      // a header line announcing the exception
      this.openTrace(this.current, trimmedEnd, text, cls.level);
      this.prevLine = text;
      return out;
    }
    this.closeInto(out);
    const entry: LogEntry = {
      lines: [trimmedEnd],
      level: cls.level,
      exception: false,
      firstLine: lineIndex,
    };
    this.current = entry;
    this.inTrace = false;
    this.closedByEnd = false;
    if (cls.exception) {
      // a start, or frames whose start scrolled out of the captured tail
      this.inTrace = true;
      this.kind = cls.exception === 'start' ? traceKindOf(text) : 'other';
      if (STRONG_START.test(text)) entry.exception = true;
      if (entry.level === 'unknown') entry.level = 'error';
    }
    this.prevLine = text;
    return out;
  }

  /** Returns the last entry, if any. Call at the end of the input. */
  flush(): LogEntry[] {
    const out: LogEntry[] = [];
    this.closeInto(out);
    return out;
  }

  private openTrace(
    entry: LogEntry,
    line: string,
    text: string,
    level: LogLevel,
  ) {
    entry.lines.push(line);
    entry.level = maxLevel(entry.level, level);
    entry.exception = true;
    this.inTrace = true;
    this.closedByEnd = false;
    this.kind = traceKindOf(text);
  }

  private appendPending() {
    if (this.pendingBlank.length > 0 && this.current) {
      for (const b of this.pendingBlank) this.current.lines.push(b.line);
      this.pendingBlank = [];
    }
  }

  private afterAppend(line: string) {
    const entry = this.current!;
    entry.exception = true;
    // traces with a recognisable last line
    if (
      this.kind === 'python' &&
      !line.startsWith(' ') &&
      !line.startsWith('\t') &&
      PYTHON_LAST_LINE.test(line) &&
      !line.startsWith('Traceback')
    ) {
      this.closedByEnd = true;
    } else if (this.kind === 'php' && /^\s+thrown in /.test(line)) {
      this.closedByEnd = true;
    }
  }

  private continues(
    line: string,
    part: 'start' | 'continuation' | undefined,
  ): boolean {
    if (part === 'continuation') return true;
    const prev = this.prevLine;
    const first = line.charCodeAt(0);
    const indented = first === 9 || first === 32;
    switch (this.kind) {
      case 'python':
        // code line under a File "…" frame, or the final "ExcType: message" line
        if (indented) return /^\s+File "/.test(prev);
        return PYTHON_LAST_LINE.test(line);
      case 'go':
        // a func line, or the indented file line under it (even when truncated)
        return (
          GO_FUNC_LINE.test(line) ||
          (indented &&
            (GO_FUNC_LINE.test(prev) || /\.(?:go|s):\d+/.test(line))) ||
          line.startsWith('[signal ')
        );
      case 'dart':
        // the message line after "Unhandled exception:"
        return prev.startsWith('Unhandled exception:');
      case 'ruby':
        return /^\s+$/.test(line);
      case 'java':
      case 'other':
        // "nested exception is:" is followed by the nested exception's header
        return NESTED_IS.test(prev) && JAVA_HEADER.test(line);
      default:
        return false;
    }
  }

  private closeInto(out: LogEntry[]) {
    if (this.current) {
      out.push(this.current);
      this.current = undefined;
    }
    if (this.pendingBlank.length > 0) {
      // blank lines after a trace are entries of their own
      for (const b of this.pendingBlank) {
        out.push({
          lines: [b.line],
          level: 'unknown',
          exception: false,
          firstLine: b.index,
        });
      }
      this.pendingBlank = [];
    }
    this.inTrace = false;
    this.closedByEnd = false;
  }
}

/**
 * Folds a whole list of lines into entries (see {@link ExceptionFolder}).
 *
 * @public
 */
export function foldLogLines(lines: Iterable<string>): LogEntry[] {
  const folder = new ExceptionFolder();
  const out: LogEntry[] = [];
  for (const line of lines) {
    for (const e of folder.push(line)) out.push(e);
  }
  for (const e of folder.flush()) out.push(e);
  return out;
}
