/**
 * Text made safe for both engines before it is bound.
 *
 * - PostgreSQL rejects NUL (U+0000) in text; SQLite would silently truncate at it in some APIs.
 * - Lone UTF-16 surrogates become invalid UTF-8 on the wire; Buffers may hold invalid UTF-8.
 *   Both are replaced with U+FFFD so what is stored is what is read back.
 * - varchar(n) on PostgreSQL fails the whole batch when a value is longer than n characters, and
 *   huge log lines or messages would bloat rows: every value is capped.
 */

const decoder = new TextDecoder('utf-8', { fatal: false });
const TRUNCATION_MARK = '…[truncated]';
// String.prototype.toWellFormed is ES2024; this matches what it replaces.
const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATE_GLOBAL = new RegExp(LONE_SURROGATE.source, 'g');

/** Anything a caller may hand us as text. */
export type TextInput = string | Buffer | Uint8Array | null | undefined;

/** Removes NUL bytes and replaces invalid UTF-8 / lone surrogates with U+FFFD. */
export function cleanText(value: TextInput): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  let text = typeof value === 'string' ? value : decoder.decode(value);
  if (text.includes('\u0000')) {
    text = text.replaceAll('\u0000', '');
  }
  return LONE_SURROGATE.test(text)
    ? text.replace(LONE_SURROGATE_GLOBAL, '\uFFFD')
    : text;
}

/**
 * Cleans and caps a value at `maxBytes` of UTF-8, cutting on a character boundary and marking
 * the cut. Used for unbounded text columns (messages, log lines, JSON).
 */
export function safeText(value: TextInput, maxBytes: number): string | null {
  const text = cleanText(value);
  if (text === null) {
    return null;
  }
  // Fast path: UTF-8 is at most 3 bytes per UTF-16 code unit.
  if (
    text.length * 3 <= maxBytes ||
    Buffer.byteLength(text, 'utf8') <= maxBytes
  ) {
    return text;
  }
  const budget = Math.max(0, maxBytes - Buffer.byteLength(TRUNCATION_MARK));
  const bytes = Buffer.from(text, 'utf8');
  let end = budget;
  // step back over UTF-8 continuation bytes so we never cut a character in half
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) {
    end--;
  }
  return bytes.subarray(0, end).toString('utf8') + TRUNCATION_MARK;
}

/** Cleans and caps a value for a varchar(n) column (n counts characters on PostgreSQL). */
export function safeString(value: TextInput, maxChars: number): string | null {
  const text = cleanText(value);
  if (text === null) {
    return null;
  }
  if (text.length <= maxChars) {
    return text;
  }
  let end = maxChars;
  // do not leave a dangling high surrogate
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) {
    end--;
  }
  return text.slice(0, end);
}

/** Like safeString for required columns: null/undefined become ''. */
export function requiredString(value: TextInput, maxChars: number): string {
  return safeString(value, maxChars) ?? '';
}

/**
 * JSON for a text column. When the serialised value exceeds `maxBytes` a small valid JSON marker
 * is stored instead of a cut (and therefore unparsable) document.
 */
export function safeJson(value: unknown, maxBytes: number): string | null {
  if (value === undefined || value === null) {
    return null;
  }
  const json = cleanText(JSON.stringify(value)) ?? 'null';
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes <= maxBytes) {
    return json;
  }
  return JSON.stringify({ truncated: true, bytes });
}

/** Parses a JSON text column written by safeJson; a corrupt value reads as undefined. */
export function parseJson<T = unknown>(value: unknown): T | undefined {
  if (typeof value !== 'string' || value === '') {
    return undefined;
  }
  try {
    return JSON.parse(value) as T;
  } catch {
    return undefined;
  }
}

/** Escapes LIKE wildcards so user search text matches literally (used with `ESCAPE '\'`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, ch => `\\${ch}`);
}
