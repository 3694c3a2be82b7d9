import { ExceptionFolder, foldLogLines } from './fold';

describe('foldLogLines', () => {
  it('keeps ordinary lines as single entries', () => {
    const entries = foldLogLines(['INFO a', 'WARN b', 'plain']);
    expect(entries.map(e => [e.lines.length, e.level, e.exception])).toEqual([
      [1, 'info', false],
      [1, 'warning', false],
      [1, 'unknown', false],
    ]);
    expect(entries.map(e => e.firstLine)).toEqual([0, 1, 2]);
  });

  it('folds a Java exception with Caused by into its announcing ERROR line', () => {
    const entries = foldLogLines([
      '12:00:00.000 [main] ERROR c.e.Svc - Failed to process request',
      'java.lang.RuntimeException: Unexpected error occurred',
      '\tat c.e.Svc.save(Svc.java:310)',
      'Caused by: java.io.IOException: Connection reset',
      '\t... 3 more',
      '12:00:01.000 [main] INFO c.e.Svc - ok',
    ]);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ level: 'error', exception: true });
    expect(entries[0].lines).toHaveLength(5);
    expect(entries[1]).toMatchObject({
      level: 'info',
      exception: false,
      firstLine: 5,
    });
  });

  it('does not fold an exception into an unrelated INFO line', () => {
    const entries = foldLogLines([
      'INFO started',
      'java.lang.IllegalStateException: x',
      '\tat a.B.c(B.java:1)',
    ]);
    expect(entries.map(e => e.lines.length)).toEqual([1, 2]);
  });

  it('separates two consecutive traces', () => {
    const entries = foldLogLines([
      'Traceback (most recent call last):',
      '  File "a.py", line 1, in <module>',
      '    f()',
      'ValueError: one',
      'Traceback (most recent call last):',
      '  File "b.py", line 2, in <module>',
      '    g()',
      'KeyError: two',
    ]);
    expect(entries.map(e => [e.lines.length, e.exception])).toEqual([
      [4, true],
      [4, true],
    ]);
  });

  it('keeps Go goroutine dumps with blank lines together, and trailing blanks apart', () => {
    const entries = foldLogLines([
      'panic: boom',
      '',
      'goroutine 1 [running]:',
      'main.main()',
      '\t/app/main.go:5 +0x1d',
      '',
      'goroutine 2 [chan receive]:',
      'main.worker(0xc000010000)',
      '\t/app/main.go:9 +0x2a',
      '',
      '{"level":"info","msg":"restarted"}',
    ]);
    expect(entries.map(e => [e.lines.length, e.exception, e.level])).toEqual([
      [9, true, 'error'],
      [1, false, 'unknown'],
      [1, false, 'info'],
    ]);
    expect(entries.map(e => e.firstLine)).toEqual([0, 9, 10]);
  });

  it('groups frames whose start scrolled out of the captured tail', () => {
    const entries = foldLogLines([
      '\tat a.B.c(B.java:1)',
      '\tat a.B.d(B.java:2)',
      'INFO next',
    ]);
    expect(entries.map(e => [e.lines.length, e.level])).toEqual([
      [2, 'error'],
      [1, 'info'],
    ]);
  });

  it('streams: push/flush gives the same entries as foldLogLines', () => {
    const lines = ['INFO a', 'Error: x', '    at f (a.js:1:1)', 'INFO b'];
    const folder = new ExceptionFolder();
    const streamed = [...lines.flatMap(l => folder.push(l)), ...folder.flush()];
    expect(streamed).toEqual(foldLogLines(lines));
    expect(streamed).toHaveLength(3);
  });

  it('strips a trailing carriage return', () => {
    expect(foldLogLines(['WARN x\r'])[0].lines[0]).toBe('WARN x');
  });
});

describe('lines read with timestamps=true', () => {
  it('classifies and folds after the API server timestamp prefix', () => {
    const ts = (s: string) => `2026-01-01T12:00:00.123456789Z ${s}`;
    const entries = foldLogLines([
      ts('{"level":"warn","msg":"slow"}'),
      ts('panic: boom'),
      ts(''),
      ts('goroutine 1 [running]:'),
      ts('main.main()'),
      ts('\t/app/main.go:5 +0x1d'),
      ts('INFO next'),
    ]);
    expect(entries.map(e => [e.lines.length, e.level, e.exception])).toEqual([
      [1, 'warning', false],
      [5, 'error', true],
      [1, 'info', false],
    ]);
    expect(entries[1].lines[0]).toBe(ts('panic: boom'));
  });
});

describe('what a trace is attached to', () => {
  it('attaches Python logging.exception output to its ERROR line', () => {
    const entries = foldLogLines([
      'ERROR:root:payment failed',
      'Traceback (most recent call last):',
      '  File "pay.py", line 3, in charge',
      '    raise ValueError("card")',
      'ValueError: card',
    ]);
    expect(entries.map(e => e.lines.length)).toEqual([5]);
  });

  it('keeps a Go panic apart from the error line before it', () => {
    const entries = foldLogLines([
      'level=error msg="db down"',
      'panic: db down',
      '',
      'goroutine 1 [running]:',
      'main.main()',
    ]);
    expect(entries.map(e => e.lines.length)).toEqual([1, 4]);
  });
});
