/**
 * Fingerprints make "the same error" count once across restarts and pods: variable parts
 * (timestamps, UUIDs, hex, ids, IPs, numbers) are replaced by placeholders before hashing.
 */

/** Only this much of an entry is normalised: enough for a message and the top frames. */
const FINGERPRINT_LIMIT = 2048;
/** Frames after this many lines add little and differ by caller depth. */
const FINGERPRINT_MAX_LINES = 12;

// Order matters: timestamps before numbers, UUIDs before hex, hex before numbers.
const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // ISO / RFC 3339 and "2024-11-15 20:12:10,123" timestamps, with optional zone
  [
    /\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?/g,
    '<ts>',
  ],
  // syslog / klog / Java util logging dates
  [
    /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{1,2},?\s+(?:\d{4}\s+)?\d{1,2}:\d\d:\d\d(?:\s*[AP]M)?/g,
    '<ts>',
  ],
  [/\b\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\b/g, '<ts>'],
  [/\b\d\d:\d\d:\d\d(?:[.,]\d+)?\b/g, '<ts>'],
  [
    /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g,
    '<uuid>',
  ],
  [/\b0x[0-9a-fA-F]+\b/g, '<hex>'],
  // IPv4 with optional port
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '<ip>'],
  // generated pod names: <name>-<template hash>-<5 chars> and <name>-<5 chars> (Kubernetes' safe alphabet)
  [
    /-(?:[bcdfghjklmnpqrstvwxz2456789]{6,10}-)?[bcdfghjklmnpqrstvwxz2456789]{5}\b/g,
    '-<pod>',
  ],
  // long hex runs (hashes, container ids, trace ids) mixing digits and a-f; pure digits are numbers
  [/\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\b/g, '<hex>'],
  // opaque ids: 8+ chars mixing letters and digits (request ids, pod-name suffixes)
  [/\b(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9]{8,}\b/g, '<id>'],
  // numbers, including decimals and those glued to words (user123, :310)
  [/\d+(?:\.\d+)?/g, '<n>'],
];

/**
 * Normalised form of a log entry used for fingerprinting.
 *
 * @public
 */
export function normalizeForFingerprint(text: string): string {
  let s =
    text.length > FINGERPRINT_LIMIT ? text.slice(0, FINGERPRINT_LIMIT) : text;
  let nl = -1;
  for (let i = 0, from = 0; i < FINGERPRINT_MAX_LINES; i++) {
    nl = s.indexOf('\n', from);
    if (nl === -1) break;
    from = nl + 1;
  }
  if (nl !== -1) s = s.slice(0, nl);
  for (const [re, placeholder] of RULES) s = s.replace(re, placeholder);
  return s.replace(/[ \t]+/g, ' ').trim();
}

/** 53-bit string hash (cyrb53): fast, well mixed, no dependencies; not cryptographic. */
export function hash53(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * Fingerprint of a log entry (one line or a folded exception): 14 hex characters, equal for
 * entries that differ only in timestamps, ids, numbers, hex values, IPs and UUIDs.
 *
 * @public
 */
export function fingerprintLog(text: string | readonly string[]): string {
  const joined = typeof text === 'string' ? text : text.join('\n');
  return hash53(normalizeForFingerprint(joined)).toString(16).padStart(14, '0');
}
