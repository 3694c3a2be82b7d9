/*
 * Conformance of the log classifier and exception folder with fluent-plugin-detect-exceptions'
 * samples and with the level each logger wrote into humanlog's benchmark logs.
 */
import { gunzipSync } from 'node:zlib';
import fs from 'node:fs';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { fixturePath } from '@pod-watch/test-fixtures';
import {
  classifyLogLine,
  levelFromName,
  levelFromNumber,
} from '../logs/classify';
import { foldLogLines } from '../logs/fold';
import type { LogLevel } from '../types';
import { AgreementReport } from '../__testUtils__/report';
import { loadJson } from '../__testUtils__/fixtures';

const report = new AgreementReport();

afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(report.format('Log conformance: agreement with upstream labels'));
});

function readLines(relative: string): string[] {
  let buf = fs.readFileSync(fixturePath(relative));
  if (relative.endsWith('.gz')) buf = gunzipSync(buf);
  const lines = buf.toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

describe('fluent-plugin-detect-exceptions samples', () => {
  const manifest = loadJson<{
    files: Record<
      string,
      {
        language: string;
        isException: boolean;
        detectsEnd: boolean | null;
        lines: number;
      }
    >;
  }>('logs/detect-exceptions/MANIFEST.json').files;
  const files = Object.entries(manifest);

  it('folds every sample into exactly one exception entry (and the control into none)', () => {
    expect(files.length).toBe(21);
    const actual: Record<string, object> = {};
    const expected: Record<string, object> = {};
    for (const [file, meta] of files) {
      const lines = readLines(`logs/detect-exceptions/${file}`);
      expect(lines.length).toBe(meta.lines);
      const entries = foldLogLines(lines);
      const traces = entries.filter(e => e.exception);
      actual[file] = {
        traces: traces.length,
        traceLines: traces[0]?.lines.length ?? 0,
        level: traces[0]?.level ?? 'none',
        entries: entries.length,
      };
      expected[file] = meta.isException
        ? { traces: 1, traceLines: lines.length, level: 'error', entries: 1 }
        : { traces: 0, traceLines: 0, level: 'none', entries: lines.length };
      const label = meta.isException ? 'one trace' : 'no trace';
      const got =
        JSON.stringify(actual[file]) === JSON.stringify(expected[file])
          ? label
          : `${entries.length} entries, ${traces.length} traces`;
      report.add('detect-exceptions', 'one trace per sample', file, label, got);
    }
    expect(actual).toEqual(expected);
  });

  it('ends each trace at the next ordinary log line', () => {
    for (const [file, meta] of files) {
      if (!meta.isException) continue;
      const lines = readLines(`logs/detect-exceptions/${file}`);
      const entries = foldLogLines([
        ...lines,
        'INFO 2024-01-01 request served in 12ms',
      ]);
      expect({ file, n: entries.length }).toEqual({ file, n: 2 });
      expect(entries[1]).toMatchObject({ exception: false, level: 'info' });
    }
  });

  it('marks the first line of each sample as an exception start, line by line', () => {
    for (const [file, meta] of files) {
      const lines = readLines(`logs/detect-exceptions/${file}`);
      const first = classifyLogLine(lines[0]).exception ?? 'none';
      report.add(
        'detect-exceptions',
        'stateless first line',
        file,
        meta.isException ? 'start' : 'none',
        first,
      );
      // a single line shows only frames; Python code lines, Go call lines and Dart messages
      // need the folder's context, so this is measured with a floor, not asserted exactly
      lines.slice(1).forEach((line, i) => {
        if (!meta.isException || line.trim() === '') return;
        const part = classifyLogLine(line).exception;
        report.add(
          'detect-exceptions',
          'stateless in-trace line',
          `${file}:${i + 2}`,
          'in trace',
          part ? 'in trace' : 'plain',
        );
      });
    }
    expect(
      report.ratio('detect-exceptions', 'stateless in-trace line'),
    ).toBeGreaterThanOrEqual(0.9);
    expect(
      report.disagreements('detect-exceptions', 'stateless first line'),
    ).toEqual([]);
  });
});

describe('humanlog benchmark logs: level as each logger wrote it', () => {
  type Reference = (line: string) => LogLevel | 'continuation' | undefined;
  const json =
    (pick: (o: any) => unknown): Reference =>
    line => {
      const v = pick(JSON.parse(line));
      return typeof v === 'number'
        ? levelFromNumber(v)
        : levelFromName(String(v));
    };
  const text =
    (re: RegExp): Reference =>
    line => {
      const m = re.exec(line);
      return m ? levelFromName(m[1]) : 'continuation';
    };
  const FILES: Record<string, Reference> = {
    'golang-zap__sample-zap.log.gz': json(o => o.level),
    'golang-zerolog-json__sample-zerolog-json.log.gz': json(o => o.level),
    'golang-logrus__sample-logrus-text.log.gz': text(/\blevel=(\w+)/),
    'java-log4j2-json__sample-log4j2-json.log.gz': json(o => o.level),
    'java-logback__sample-logback-text.log.gz': text(
      /^\d\d:\d\d:\d\d\.\d{3} \[[^\]]+\] (\w+) /,
    ),
    'js-ts-pino__sample-pino.log.gz': json(o => o.level),
    'js-ts-winston__sample-winston.log.gz': json(o => o.level),
    'python-loguru-json__sample-loguru-json.log.gz': json(o => o.Level.Name),
    'python-structlog__sample-structlog.log.gz': text(/^\S+ \S+ \[(\w+)\s*\]/),
  };

  it('classifies every line at the logger’s own level', () => {
    for (const [file, reference] of Object.entries(FILES)) {
      const lines = readLines(`logs/humanlog-benchmark/${file}`);
      expect(lines.length).toBeGreaterThan(500);
      for (let i = 0; i < lines.length; i++) {
        const expected = reference(lines[i]);
        if (expected === undefined || expected === 'continuation') continue;
        const actual = classifyLogLine(lines[i]).level;
        report.add(
          'humanlog',
          `level: ${file.split('__')[0]}`,
          `${file}:${i + 1}`,
          expected,
          actual,
        );
      }
    }
    const all = report.rows.filter(r => r.tool === 'humanlog');
    expect(all.length).toBeGreaterThan(8000);
    expect(
      all.filter(r => !r.agree).map(r => `${r.id} ${r.expected}/${r.actual}`),
    ).toEqual([]);
  });

  it('folds logback stack traces (incl. Caused by) into their ERROR line', () => {
    const lines = readLines(
      'logs/humanlog-benchmark/java-logback__sample-logback-text.log.gz',
    );
    const header = /^\d\d:\d\d:\d\d\.\d{3} \[/;
    const entries = foldLogLines(lines);
    // every entry starts at a logger line: no stack line is left on its own
    const orphans = entries.filter(e => !header.test(e.lines[0]));
    expect(orphans).toEqual([]);
    const traces = entries.filter(e => e.exception);
    expect(traces.length).toBeGreaterThan(50);
    expect(traces.every(e => e.level === 'error' && e.lines.length >= 3)).toBe(
      true,
    );
    expect(
      traces.some(e => e.lines.some(l => l.startsWith('Caused by: '))),
    ).toBe(true);
    report.add(
      'humanlog',
      'logback traces folded',
      'java-logback',
      'no orphan stack lines',
      orphans.length === 0
        ? 'no orphan stack lines'
        : `${orphans.length} orphans`,
    );
  });

  it('flags structured lines that carry a stack as exceptions', () => {
    const pino = readLines(
      'logs/humanlog-benchmark/js-ts-pino__sample-pino.log.gz',
    );
    for (const line of pino) {
      const hasStack = JSON.parse(line).err?.stack !== undefined;
      expect(classifyLogLine(line).exception === 'start').toBe(hasStack);
    }
    const loguru = readLines(
      'logs/humanlog-benchmark/python-loguru-json__sample-loguru-json.log.gz',
    );
    for (const line of loguru) {
      const hasException = JSON.parse(line).Exception !== null;
      expect(classifyLogLine(line).exception === 'start').toBe(hasException);
    }
  });
});
