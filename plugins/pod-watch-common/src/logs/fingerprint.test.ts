import { fingerprintLog, normalizeForFingerprint } from './fingerprint';

describe('fingerprintLog', () => {
  it('counts the same error once across timestamps, ids, numbers, hex, UUIDs and IPs', () => {
    const a =
      '2024-11-15T19:02:14.40066+09:00 ERROR order 1234 failed for user user123 (req 3006516524087886121, trace 35155a4b79bd19f6) id=8f14e45f-ceea-467a-9af0-8b2c3a1e8f00 from 10.0.0.12:8080 ptr 0xc000123';
    const b =
      '2024-12-01T01:00:00Z ERROR order 98 failed for user user7 (req 12, trace f8ef5906c42d990) id=0b2f3c44-1111-4a2b-8c3d-abcdefabcdef from 192.168.1.7:443 ptr 0x1';
    expect(fingerprintLog(a)).toBe(fingerprintLog(b));
    expect(fingerprintLog(a)).toMatch(/^[0-9a-f]{14}$/);
  });

  it('normalises opaque ids such as pod-name suffixes and request ids', () => {
    expect(
      normalizeForFingerprint(
        'pod web-7d9c8b5f4-x2kqz request skafc8rpf7msjg0l',
      ),
    ).toBe(
      normalizeForFingerprint(
        'pod web-6d4cf56db6-qq7rt request qssvnxc60t1byvf3',
      ),
    );
  });

  it('keeps different messages apart', () => {
    expect(fingerprintLog('ERROR connection refused')).not.toBe(
      fingerprintLog('ERROR connection reset'),
    );
  });

  it('treats a stack trace with other line numbers and times as the same', () => {
    const trace = (line: number, time: string) => [
      `${time} [main] ERROR c.e.Svc - Failed`,
      'java.lang.RuntimeException: Unexpected error occurred',
      `\tat c.e.Svc.save(Svc.java:${line})`,
    ];
    expect(fingerprintLog(trace(310, '18:43:32.782'))).toBe(
      fingerprintLog(trace(222, '18:43:34.889')),
    );
    expect(fingerprintLog(trace(1, '00:00:00.000'))).not.toBe(
      fingerprintLog([
        'x',
        'java.lang.RuntimeException: Unexpected error occurred',
        '\tat c.e.Other.save(Other.java:1)',
      ]),
    );
  });

  it('looks only at the first lines, so deep frames do not split a group', () => {
    const head = Array.from(
      { length: 12 },
      (_, i) => `\tat a.B.m${i}(B.java:1)`,
    );
    expect(fingerprintLog([...head, '\tat deep.One(X.java:1)'])).toBe(
      fingerprintLog([...head, '\tat deep.Two(Y.java:1)']),
    );
  });
});
