import { parseTimestampedLogs, toLogLineInputs } from './logLines';

const target = {
  cluster: 'c',
  namespace: 'ns',
  podUid: 'u',
  podName: 'p',
  container: 'app',
  instance: 1,
  source: 'previous' as const,
};

describe('log lines', () => {
  it('parses kubelet timestamps and drops a line cut by limitBytes', () => {
    const body =
      '2026-11-23T10:00:00.123456789Z started\n' +
      '2026-11-23T10:00:01.000000000Z second\r\n' +
      '2026-11-23T10:00:02.0000';
    expect(parseTimestampedLogs(body, '2026-01-01T00:00:00.000Z')).toEqual([
      { at: '2026-11-23T10:00:00.123Z', text: 'started' },
      { at: '2026-11-23T10:00:01.000Z', text: 'second' },
    ]);
  });

  it('redacts, folds exceptions into one fingerprint and classifies levels', () => {
    const at = '2026-11-23T10:00:00.000Z';
    const lines = [
      'INFO connecting with password=hunter2',
      'Exception in thread "main" java.lang.IllegalStateException: boom',
      '\tat com.example.App.run(App.java:42)',
      '\tat com.example.App.main(App.java:10)',
    ].map(text => ({ at, text }));
    const out = toLogLineInputs(lines, target);
    expect(out).toHaveLength(4);
    expect(out[0].text).not.toContain('hunter2');
    expect(out[0]).toMatchObject({
      level: 'info',
      exception: false,
      source: 'previous',
      instance: 1,
    });
    const trace = out.slice(1);
    expect(trace.every(l => l.exception && l.level === 'error')).toBe(true);
    expect(new Set(trace.map(l => l.fingerprint)).size).toBe(1);
    expect(trace[0].fingerprint).not.toBe(out[0].fingerprint);
  });
});
