import { REDACTED } from '@pod-watch/plugin-pod-watch-common';
import {
  logSecond,
  nextLogSecond,
  parseLogRead,
  parseTimestampedLogs,
  toLogLineInputs,
} from './logLines';

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

  it('tells a body cut by limitBytes, and the line it cut when its timestamp arrived', () => {
    const whole = '2026-11-23T10:00:00.000000000Z a\n';
    const cutText = `${whole}2026-11-23T10:00:01.500000000Z long lin`;
    expect(parseLogRead(cutText, 'x', Buffer.byteLength(cutText))).toEqual({
      lines: [{ at: '2026-11-23T10:00:00.000Z', text: 'a' }],
      cut: true,
      cutLine: { at: '2026-11-23T10:00:01.500Z', text: 'long lin' },
    });
    // cut inside the timestamp: the line is unknown
    const inPrefix = `${whole}2026-11-23T10:0`;
    expect(parseLogRead(inPrefix, 'x', Buffer.byteLength(inPrefix))).toEqual({
      lines: [{ at: '2026-11-23T10:00:00.000Z', text: 'a' }],
      cut: true,
      cutLine: undefined,
    });
    // under the limit: a whole body (a last line without newline is no cut)
    expect(parseLogRead(cutText, 'x', 1024).cut).toBe(false);
    expect(parseLogRead(whole, 'x', Buffer.byteLength(whole)).cut).toBe(false);
  });

  it('rounds a time down to the whole second the kubelet applies', () => {
    expect(logSecond('2026-11-23T10:00:59.999Z')).toBe('2026-11-23T10:00:59Z');
    expect(nextLogSecond('2026-11-23T23:59:59.999Z')).toBe(
      '2026-11-24T00:00:00Z',
    );
  });

  it('redacts a private-key block printed over several lines', () => {
    const at = '2026-11-23T10:00:00.000Z';
    const out = toLogLineInputs(
      [
        '-----BEGIN PRIVATE KEY-----',
        'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
        '-----END PRIVATE KEY-----',
        'server started',
      ].map(text => ({ at, text })),
      target,
    );
    expect(out.map(l => l.text)).toEqual([
      `-----BEGIN PRIVATE KEY-----${REDACTED}-----END PRIVATE KEY-----`,
      REDACTED,
      REDACTED,
      'server started',
    ]);
  });
});
