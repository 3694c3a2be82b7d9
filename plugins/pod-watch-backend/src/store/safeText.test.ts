import {
  cleanText,
  escapeLike,
  parseJson,
  safeJson,
  safeString,
  safeText,
} from './safeText';

describe('safeText', () => {
  it('removes NUL and replaces invalid UTF-8 and lone surrogates', () => {
    expect(cleanText('a\u0000b')).toBe('ab');
    expect(cleanText('x\ud800y\udc00z')).toBe('x\ufffdy\ufffdz');
    expect(cleanText('ok \ud83d\ude00')).toBe('ok \ud83d\ude00');
    expect(cleanText(Buffer.from([0x68, 0xc3, 0x28, 0x00, 0x69]))).toBe(
      'h\ufffd(i',
    );
    expect(cleanText(undefined)).toBeNull();
  });

  it('caps on a UTF-8 character boundary and marks the cut', () => {
    const text = 'é'.repeat(100); // 2 bytes each
    const capped = safeText(text, 51)!;
    expect(Buffer.byteLength(capped)).toBeLessThanOrEqual(51);
    expect(capped).toMatch(/^é+…\[truncated\]$/);
    expect(safeText('short', 51)).toBe('short');
    const emoji = safeText('\ud83d\ude00'.repeat(50), 40)!;
    expect(emoji).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('caps varchar values by characters without splitting surrogate pairs', () => {
    expect(safeString('abcdef', 3)).toBe('abc');
    expect(safeString('ab\ud83d\ude00', 3)).toBe('ab');
    expect(safeString(null, 3)).toBeNull();
  });

  it('keeps JSON valid when too large', () => {
    expect(safeJson({ a: 'x\u0000' }, 100)).toBe('{"a":"x\\u0000"}');
    expect(parseJson(safeJson({ a: 'x'.repeat(200) }, 100))).toEqual({
      truncated: true,
      bytes: 208,
    });
    expect(parseJson('{nope')).toBeUndefined();
  });

  it('escapes LIKE wildcards', () => {
    expect(escapeLike('100%_\\')).toBe('100\\%\\_\\\\');
  });
});
