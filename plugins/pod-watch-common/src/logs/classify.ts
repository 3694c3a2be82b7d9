import type { ExceptionPart, LogLevel, LogLineClass } from '../types';

/**
 * Work per line is capped: only this many leading characters are examined (lines may be 1 MB).
 *
 * @public
 */
export const CLASSIFY_SCAN_LIMIT = 4096;

/** Level words are searched only near the start of a text line, where loggers put them. */
const TEXT_LEVEL_WINDOW = 160;

const LEVEL_BY_NAME: Record<string, LogLevel> = Object.create(null);
function names(level: LogLevel, list: string[]) {
  for (const n of list) {
    LEVEL_BY_NAME[n] = level;
    LEVEL_BY_NAME[n.toUpperCase()] = level;
    LEVEL_BY_NAME[n[0].toUpperCase() + n.slice(1)] = level;
  }
}
names('error', [
  'error',
  'err',
  'eror',
  'fatal',
  'ftl',
  'crit',
  'critical',
  'alert',
  'emerg',
  'emergency',
  'panic',
  'dpanic',
  'severe',
  'e',
  'f',
  'c',
  'crt',
  'erro',
  'fail',
  'failure',
]);
names('warning', ['warn', 'warning', 'wrn', 'w', 'wrng']);
names('info', [
  'info',
  'inf',
  'information',
  'informational',
  'notice',
  'note',
  'i',
  'n',
  'http',
  'success',
  'log',
]);
names('debug', [
  'debug',
  'dbg',
  'd',
  'trace',
  'trc',
  't',
  'verbose',
  'silly',
  'fine',
  'finer',
  'finest',
  'config',
  'notset',
  'all',
]);

/**
 * Maps a level name from any common logger (zap, zerolog, logrus, pino, winston, bunyan,
 * log4j, logback, loguru, structlog, Python logging, syslog, klog letters) to a LogLevel.
 *
 * @public
 */
export function levelFromName(name: string): LogLevel {
  // exact spellings (info, INFO, Info) hit without allocating
  return (
    LEVEL_BY_NAME[name] ?? LEVEL_BY_NAME[name.trim().toLowerCase()] ?? 'unknown'
  );
}

/**
 * Numeric levels. 10–60 is pino/bunyan (10 trace … 60 fatal); 0–7 is syslog severity.
 *
 * @public
 */
export function levelFromNumber(n: number): LogLevel {
  if (n >= 10) {
    if (n >= 50) return 'error';
    if (n >= 40) return 'warning';
    if (n >= 30) return 'info';
    return 'debug';
  }
  if (n < 0) return 'unknown';
  if (n <= 3) return 'error';
  if (n === 4) return 'warning';
  if (n <= 6) return 'info';
  return 'debug';
}

// ---- structured logs
// The key must be a whole JSON key; the value a short string, a number, or an object
// (loguru: "Level":{"Name":"DEBUG",...}). No nested quantifiers: linear time.
const JSON_LEVEL =
  /"(?:level|lvl|severity|log\.level|loglevel|levelname|level_name|@l|@level|Level|Severity|LEVEL|LogLevel|levelName)"\s*:\s*(?:"([^"\\]{1,24})"|(-?\d{1,3})(?![\d.])|\{)/;
const JSON_NESTED_NAME = /"(?:name|Name)"\s*:\s*"([^"\\]{1,24})"/y;
const JSON_STACK =
  /"(?:stack|stacktrace|stack_trace|stackTrace|exc_info|exception|Exception|thrown|error\.stack|err\.stack)"\s*:\s*(?!null\b|""|\[\]|false\b)/;

const LOGFMT_LEVEL =
  /(?:^|[\s,])(?:level|lvl|severity|loglevel|log\.level)=(?:"([A-Za-z]{1,12})"|([A-Za-z]{1,12})\b)/;

const LOGFMT_LEVEL_AT = /level=(?:"([A-Za-z]{1,12})"|([A-Za-z]{1,12})\b)/y;

// klog / glog header: Lmmdd hh:mm:ss.uuuuuu
const KLOG = /^[IWEF]\d{4} \d\d:\d\d:\d\d/;

// Upper-case level words, bracketed or padded words ([info    ], <error>, level words followed by ':')
const TEXT_LEVEL =
  /(?:^|[\s[(<|:"'=-])(FATAL|CRITICAL|CRIT|ERROR|ERRO|EROR|ERR|SEVERE|PANIC|DPANIC|ALERT|EMERG|EMERGENCY|WARNING|WARN|WRN|NOTICE|INFO|INF|DEBUG|DBG|TRACE|TRC|VERBOSE)(?=$|[\s\]):>|,"'.-])/;
const TEXT_LEVEL_LOWER =
  /(?:^|[\s[(<|])\[?(fatal|critical|error|warning|warn|notice|info|debug|trace|notset)\s*[\]>:]/i;

// ---- exceptions (rules after fluent-plugin-detect-exceptions, plus Node, .NET and Dart frames)
const INDENTED_FRAME =
  /^[\t ]+(?:(?:eval )?at |File "|\.\.\. \d+ (?:more|common frames omitted)|--- End of inner exception stack trace ---|nested exception is:|thrown in |[^\s]*\S*\.rb:\d+:in |\S+\.(?:go|s):\d+|\S+\.(?:js|ts|mjs|cjs):\d+|from \S+:\d+:in )/;
const RUBY_FRAME = /^[\t ]+.*?\.rb:\d+:in [`']/;
const FRAME_AT_START =
  /^(?:Caused by: |Suppressed: |--- End of stack trace from previous location|goroutine \d+ \[[^\]]{1,60}\]:$|created by |\[signal |#\d+\s+\S|Stack trace:$|\s*\.\.\. \d+ more)/;
const GO_CALL_LINE =
  /^[\w/.*()$-]*\.[\w$]+\((?:0x[0-9a-f]+(?:, 0x[0-9a-f]+)*(?:, \.\.\.)?)?\)$/;
const EXC_START =
  /(?:^Traceback \(most recent call last\):|(?:^|\s|:)panic: |http: panic serving|^Unhandled exception:$|^PHP (?:Notice|Parse error|Fatal error|Warning):|exception '[^']{1,200}' with message '|Error \(.{0,2000}\):$|^V8 errors stack trace|(?:Exception|Error|Throwable)(?::|$)|^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+(?:Exception|Error)\b)/;

// most structured loggers write "level"; find it with indexOf and parse there
const JSON_LEVEL_AT =
  /"level"\s*:\s*(?:"([^"\\]{1,24})"|(-?\d{1,3})(?![\d.])|\{)/y;

function levelOfJson(line: string): LogLevel {
  const at = line.indexOf('"level"');
  let m: RegExpExecArray | null = null;
  if (at !== -1) {
    JSON_LEVEL_AT.lastIndex = at;
    m = JSON_LEVEL_AT.exec(line);
  }
  if (!m) m = JSON_LEVEL.exec(line);
  if (!m) return 'unknown';
  if (m[1] !== undefined) return levelFromName(m[1]);
  if (m[2] !== undefined) return levelFromNumber(Number(m[2]));
  // nested object: take its name
  JSON_NESTED_NAME.lastIndex = m.index + m[0].length;
  const nested = JSON_NESTED_NAME.exec(line);
  return nested ? levelFromName(nested[1]) : 'unknown';
}

function levelOfText(line: string): LogLevel {
  const first = line.charCodeAt(0);
  // klog: I/W/E/F + month/day
  if (
    (first === 73 || first === 87 || first === 69 || first === 70) &&
    KLOG.test(line)
  ) {
    if (first === 73) return 'info';
    return first === 87 ? 'warning' : 'error';
  }
  if (line.indexOf('=') !== -1) {
    const at = line.indexOf('level=');
    let m: RegExpExecArray | null = null;
    if (
      at > 0 &&
      (line.charCodeAt(at - 1) === 32 || line.charCodeAt(at - 1) === 44)
    ) {
      LOGFMT_LEVEL_AT.lastIndex = at;
      m = LOGFMT_LEVEL_AT.exec(line);
    }
    if (!m) m = LOGFMT_LEVEL.exec(line);
    if (m) {
      const level = levelFromName(m[1] ?? m[2]);
      if (level !== 'unknown') return level;
    }
  }
  const head =
    line.length > TEXT_LEVEL_WINDOW ? line.slice(0, TEXT_LEVEL_WINDOW) : line;
  const m = TEXT_LEVEL.exec(head);
  if (m) return levelFromName(m[1]);
  const lower = TEXT_LEVEL_LOWER.exec(head);
  if (lower) return levelFromName(lower[1]);
  return 'unknown';
}

function exceptionOfText(line: string): ExceptionPart | undefined {
  const first = line.charCodeAt(0);
  if (first === 9 || first === 32) {
    if (INDENTED_FRAME.test(line) || RUBY_FRAME.test(line))
      return 'continuation';
    // " NoMethodError (...):" Rails headers are indented by one space
    return first === 32 && line.endsWith('):') && EXC_START.test(line)
      ? 'start'
      : undefined;
  }
  if (FRAME_AT_START.test(line)) return 'continuation';
  // Go call line of a goroutine dump: pkg.(*T).fn(0xc000010000, 0x1) or main.main()
  if (
    line.charCodeAt(line.length - 1) === 41 /* ) */ &&
    GO_CALL_LINE.test(line)
  ) {
    return 'continuation';
  }
  // cheap pre-filter before the start regex
  if (
    line.indexOf('xception') === -1 &&
    line.indexOf('Error') === -1 &&
    line.indexOf('anic') === -1 &&
    line.indexOf('Throwable') === -1 &&
    line.indexOf('Traceback') === -1 &&
    line.indexOf('PHP ') === -1 &&
    line.indexOf('V8 errors') === -1
  ) {
    return undefined;
  }
  return EXC_START.test(line) ? 'start' : undefined;
}

const KUBELET_TIMESTAMP =
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d) /;

/**
 * The line without the RFC 3339 timestamp the API server prefixes when logs are read with
 * `timestamps=true` (so JSON, indentation and frames are seen as the application wrote them).
 *
 * @public
 */
export function stripKubeletTimestamp(line: string): string {
  // cheap shape check before the regex: "dddd-dd-ddT"
  if (
    line.length > 20 &&
    line.charCodeAt(4) === 45 &&
    line.charCodeAt(10) === 84 &&
    line.charCodeAt(0) <= 57 &&
    line.charCodeAt(0) >= 48
  ) {
    const m = KUBELET_TIMESTAMP.exec(line);
    if (m) return line.slice(m[0].length);
  }
  return line;
}

const LEVELS: readonly LogLevel[] = [
  'error',
  'warning',
  'info',
  'debug',
  'unknown',
];
function frozenResults(
  exception?: ExceptionPart,
): Record<LogLevel, LogLineClass> {
  const out = {} as Record<LogLevel, LogLineClass>;
  for (const level of LEVELS) {
    out[level] = Object.freeze(exception ? { level, exception } : { level });
  }
  return out;
}
// results are shared and frozen: classifying allocates nothing for most lines
const PLAIN = frozenResults();
const START = frozenResults('start');
const CONTINUATION = frozenResults('continuation');

/**
 * Classifies one log line: its level (plain text, logfmt `level=`, klog, JSON `level` /
 * `severity` / `lvl` fields incl. numeric pino/bunyan levels) and whether it starts or continues
 * a multi-line exception (Java incl. `Caused by:`, Python, Go panics and goroutine dumps,
 * Node/JS, .NET, Ruby, PHP, Dart). Only the first {@link CLASSIFY_SCAN_LIMIT} characters are
 * examined. An exception start without its own level is an error. The result is a shared,
 * frozen object: do not mutate it.
 *
 * @public
 */
export function classifyLogLine(line: string): Readonly<LogLineClass> {
  const body = stripKubeletTimestamp(line);
  const s =
    body.length > CLASSIFY_SCAN_LIMIT
      ? body.slice(0, CLASSIFY_SCAN_LIMIT)
      : body;
  if (s.length === 0) return PLAIN.unknown;
  const first = s.charCodeAt(0);
  if (first === 123 /* { */) {
    const level = levelOfJson(s);
    // indexOf pre-filter: the regex has to try every quote of the line
    if (
      (s.indexOf('stack') !== -1 ||
        s.indexOf('xception') !== -1 ||
        s.indexOf('thrown') !== -1 ||
        s.indexOf('exc_info') !== -1) &&
      JSON_STACK.test(s)
    ) {
      return START[level === 'unknown' ? 'error' : level];
    }
    return PLAIN[level];
  }
  const exception = exceptionOfText(s);
  if (exception === 'continuation') return CONTINUATION.unknown;
  const level = levelOfText(s);
  if (exception === 'start')
    return START[level === 'unknown' ? 'error' : level];
  return PLAIN[level];
}

const LEVEL_WEIGHT: Record<LogLevel, number> = {
  unknown: 0,
  debug: 1,
  info: 2,
  warning: 3,
  error: 4,
};

/**
 * The more severe of two levels (`unknown` is the least).
 *
 * @public
 */
export function maxLevel(a: LogLevel, b: LogLevel): LogLevel {
  return LEVEL_WEIGHT[b] > LEVEL_WEIGHT[a] ? b : a;
}
