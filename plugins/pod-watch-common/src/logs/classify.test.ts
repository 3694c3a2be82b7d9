import {
  CLASSIFY_SCAN_LIMIT,
  classifyLogLine,
  levelFromName,
  levelFromNumber,
  stripKubeletTimestamp,
} from './classify';

const level = (line: string) => classifyLogLine(line).level;
const part = (line: string) => classifyLogLine(line).exception;

describe('levels in plain text', () => {
  it.each([
    ['2024-01-01T00:00:00Z ERROR payment failed', 'error'],
    ['2024-01-01 00:00:00,123 FATAL [main] cannot start', 'error'],
    ['CRITICAL: disk full', 'error'],
    ['[WARN] slow query', 'warning'],
    ['12:00:01.001 [main] WARNING c.e.Svc - retrying', 'warning'],
    ['18:43:35.190 [main] INFO  o.e.repository.ProductRepository - ok', 'info'],
    ['DEBUG cache hit', 'debug'],
    [
      '18:43:35.491 [async-1] TRACE org.example.UserService - entering',
      'debug',
    ],
    ['ERROR:root:something broke', 'error'],
    ['2024-11-15 20:12:10 [warning  ] Disk almost full', 'warning'],
    ['2024-11-15 20:12:10 [critical] System down', 'error'],
    ['E1115 12:00:00.123456       1 reflector.go:138] failed to list', 'error'],
    ['W1115 12:00:00.123456       1 warnings.go:70] deprecated', 'warning'],
    ['I1115 12:00:00.123456       1 main.go:12] started', 'info'],
    ['just a message', 'unknown'],
    ['', 'unknown'],
  ])('%s → %s', (line, expected) => {
    expect(level(line)).toBe(expected);
  });

  it('takes the first level word near the start, not one in the message', () => {
    expect(level('INFO retried after ERROR from upstream')).toBe('info');
  });
});

describe('logfmt', () => {
  it.each([
    [
      'time="2024-11-12T14:39:08+09:00" level=warning msg="System warning"',
      'warning',
    ],
    ['ts=2024 lvl=error msg=boom', 'error'],
    ['level="info" msg="hello"', 'info'],
    ['severity=debug msg=x', 'debug'],
  ])('%s → %s', (line, expected) => {
    expect(level(line)).toBe(expected);
  });
});

describe('JSON structured logs', () => {
  it.each([
    ['{"level":"error","msg":"x"}', 'error'],
    ['{"msg":"x","severity":"WARNING"}', 'warning'],
    ['{"lvl":"dbug","msg":"x"}', 'unknown'],
    ['{"lvl":"debug","msg":"x"}', 'debug'],
    ['{"level":30,"msg":"pino info"}', 'info'],
    ['{"level":40,"msg":"pino warn"}', 'warning'],
    ['{"level":50,"msg":"pino error"}', 'error'],
    ['{"level":60,"msg":"pino fatal"}', 'error'],
    ['{"level":20,"msg":"pino debug"}', 'debug'],
    ['{"level":10,"msg":"pino trace"}', 'debug'],
    ['{"Level":{"Name":"WARNING","No":30},"Message":"loguru"}', 'warning'],
    ['{"log.level":"error","message":"ecs"}', 'error'],
    ['{"message":"no level here"}', 'unknown'],
  ])('%s → %s', (line, expected) => {
    expect(level(line)).toBe(expected);
  });

  it('flags a stack field as an exception start', () => {
    expect(
      classifyLogLine(
        '{"level":50,"err":{"stack":"Error: x\\n    at f (a.js:1:1)"}}',
      ),
    ).toEqual({ level: 'error', exception: 'start' });
    expect(part('{"level":"info","Exception":null}')).toBeUndefined();
  });
});

describe('level names and numbers', () => {
  it('maps common names', () => {
    expect(['warn', 'WARNING', 'Wrn'].map(levelFromName)).toEqual([
      'warning',
      'warning',
      'warning',
    ]);
    expect(
      ['fatal', 'crit', 'panic', 'emerg', 'SEVERE'].map(levelFromName),
    ).toEqual(Array(5).fill('error'));
    expect(['trace', 'verbose', 'silly'].map(levelFromName)).toEqual([
      'debug',
      'debug',
      'debug',
    ]);
    expect(levelFromName('success')).toBe('info');
  });
  it('maps syslog severities', () => {
    expect([0, 3, 4, 6, 7].map(levelFromNumber)).toEqual([
      'error',
      'error',
      'warning',
      'info',
      'debug',
    ]);
  });
});

describe('exception starts and continuations', () => {
  it.each([
    ['java.lang.IllegalStateException: boom', 'start'],
    ['Exception in thread "main" java.lang.NullPointerException: x', 'start'],
    ['\tat com.example.Foo.bar(Foo.java:12)', 'continuation'],
    ['Caused by: java.io.IOException: reset', 'continuation'],
    ['\t... 12 more', 'continuation'],
    ['    ... 27 common frames omitted', 'continuation'],
    ['Traceback (most recent call last):', 'start'],
    ['  File "/app/main.py", line 3, in <module>', 'continuation'],
    ['panic: runtime error: index out of range [3] with length 3', 'start'],
    ['goroutine 1 [running]:', 'continuation'],
    ['\t/usr/local/go/src/runtime/panic.go:542 +0x46c', 'continuation'],
    ['created by main.main', 'continuation'],
    [
      'net/http.(*conn).serve(0xc00007eaa0, 0x12f10a0, 0xc00008a780)',
      'continuation',
    ],
    ['main.main()', 'continuation'],
    ['TypeError: Cannot read properties of undefined', 'start'],
    ['    at Object.<anonymous> (/app/index.js:10:5)', 'continuation'],
    ['System.InvalidOperationException: bad', 'start'],
    [
      '--- End of stack trace from previous location where exception was thrown ---',
      'continuation',
    ],
    [" NoMethodError (undefined method `x' for nil:NilClass):", 'start'],
    ["  app/models/user.rb:12:in `name'", 'continuation'],
    ['PHP Fatal error:  Uncaught Exception: boom in /var/www/x.php:3', 'start'],
    ['#0 /var/www/x.php(9): f()', 'continuation'],
    ['Unhandled exception:', 'start'],
    ['#1      main (file:///app/bin/main.dart:5:3)', 'continuation'],
  ])('%s → %s', (line, expected) => {
    expect(part(line)).toBe(expected);
  });

  it('does not flag ordinary lines', () => {
    for (const line of [
      'error rate is 0.1%',
      'level=error msg="db down"',
      'It sounds tympanic: a drum',
      'GET /errors 200',
    ]) {
      expect(part(line)).toBeUndefined();
    }
  });

  it('an exception start without its own level is an error', () => {
    expect(level('java.lang.RuntimeException: x')).toBe('error');
    expect(level('2024-01-01 WARN java.lang.RuntimeException: x')).toBe(
      'warning',
    );
  });
});

describe('work per line is capped', () => {
  it('classifies a 1 MB line from its first KBs, quickly', () => {
    const huge = `ERROR ${'x'.repeat(1024 * 1024)} Exception: late`;
    const start = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) classifyLogLine(huge);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    expect(classifyLogLine(huge)).toEqual({ level: 'error' });
    expect(ms).toBeLessThan(2000);
    const lateLevel = `${'y'.repeat(CLASSIFY_SCAN_LIMIT)} level=error`;
    expect(level(lateLevel)).toBe('unknown');
  });

  it('survives pathological input for every rule without catastrophic backtracking', () => {
    const inputs = [
      `${'a.'.repeat(5000)}Exception`,
      ` ${'x'.repeat(5000)}Error (${'('.repeat(2000)}`,
      `\t${'a'.repeat(5000)}.rb:1:in`,
      `{"level":${'"'.repeat(5000)}`,
      `level=${'a'.repeat(5000)}`,
    ];
    const start = process.hrtime.bigint();
    for (const s of inputs) classifyLogLine(s);
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(500);
  });
});

describe('API server timestamps (timestamps=true)', () => {
  it('are stripped before classification', () => {
    expect(
      stripKubeletTimestamp('2026-01-01T12:00:00.123456789Z {"level":"error"}'),
    ).toBe('{"level":"error"}');
    expect(
      stripKubeletTimestamp('2026-01-01T12:00:00+02:00 \tat a.B(B.java:1)'),
    ).toBe('\tat a.B(B.java:1)');
    expect(stripKubeletTimestamp('2026-01-01 12:00:00 INFO x')).toBe(
      '2026-01-01 12:00:00 INFO x',
    );
    expect(classifyLogLine('2026-01-01T12:00:00.1Z {"level":50}')).toEqual({
      level: 'error',
    });
    expect(
      classifyLogLine('2026-01-01T12:00:00Z \tat a.B(B.java:1)').exception,
    ).toBe('continuation');
  });
});
