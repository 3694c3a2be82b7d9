/**
 * Secret redaction applied by the backend before any log line, event message or object is
 * stored. Rules follow gitleaks' patterns; each has a cheap keyword pre-filter so clean text
 * costs a few `indexOf` calls.
 */

/**
 * Replacement text of a redacted secret.
 *
 * @public
 */
export const REDACTED = '[REDACTED]';

interface Rule {
  id: string;
  /** Lower-case keywords; the rule runs only if one occurs in the lower-cased text. */
  keywords: readonly string[];
  re: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

const SECRET_KEYS =
  '(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret|auth[_-]?token|credentials?|accountkey|sharedaccesskey|session[_-]?key|signature)';

const RULES: readonly Rule[] = [
  {
    id: 'private-key',
    keywords: ['private key'],
    // a truncated block (no END line) is redacted to the end of the text
    re: /-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----|$)/g,
    replace: () =>
      `-----BEGIN PRIVATE KEY-----${REDACTED}-----END PRIVATE KEY-----`,
  },
  {
    id: 'jwt',
    // a JWT header is base64 of '{"…' and so starts with eyJ
    keywords: ['eyj'],
    re: /\bey[A-Za-z0-9_-]{10,}\.ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{0,}/g,
    replace: () => REDACTED,
  },
  {
    id: 'authorization-header',
    keywords: ['authorization'],
    re: /\b(authorization"?\s{0,3}[:=]\s{0,3}"?(?:Bearer|Basic|Token|Digest|Negotiate|ApiKey)?\s{0,3})[^\s"',;]{4,}/gi,
    replace: (_m, prefix) => `${prefix}${REDACTED}`,
  },
  {
    // bare bearer tokens; 16+ characters so prose like "bearer authentication" survives
    id: 'bearer',
    keywords: ['bearer'],
    re: /\b(Bearer)(\s+)(?!\[REDACTED)[A-Za-z0-9\-._~+/]{16,}=*/gi,
    replace: (_m, scheme, space) => `${scheme}${space}${REDACTED}`,
  },
  {
    // the user may be empty: redis://:password@host
    id: 'url-credentials',
    keywords: ['://'],
    re: /\b([a-z][a-z0-9+.-]{1,20}:\/\/)([^\s/:@'"]{0,256}):([^\s/@'"]{1,256})@/gi,
    replace: (_m, scheme, user) => `${scheme}${user}:${REDACTED}@`,
  },
  {
    // the secret is the last path segment of an incoming-webhook URL
    id: 'slack-webhook',
    keywords: ['hooks.slack.com'],
    re: /\b(hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9+/_-]{20,}/g,
    replace: (_m, prefix) => `${prefix}${REDACTED}`,
  },
  {
    // `--password value` (the `--password=value` form is a secret-assignment)
    id: 'cli-flag',
    keywords: [
      '--pass',
      '--token',
      '--secret',
      '--api',
      '--auth',
      '--client-secret',
    ],
    re: /(\s--(?:password|passwd|pass|token|secret|api[_-]?key|auth[_-]?token|client[_-]?secret)\s+)(?!\[REDACTED)([^\s"'-][^\s"']{3,})/gi,
    replace: (_m, flag) => `${flag}${REDACTED}`,
  },
  {
    id: 'aws-access-key-id',
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    re: /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/g,
    replace: () => REDACTED,
  },
  {
    id: 'github-token',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_\w{22,255})\b/g,
    replace: () => REDACTED,
  },
  {
    id: 'gitlab-token',
    keywords: ['glpat-'],
    re: /\bglpat-[A-Za-z0-9_-]{20,}\b/g,
    replace: () => REDACTED,
  },
  {
    id: 'slack-token',
    keywords: ['xox'],
    re: /\bxox[baprse]-[A-Za-z0-9-]{10,250}\b/g,
    replace: () => REDACTED,
  },
  {
    id: 'google-api-key',
    keywords: ['aiza'],
    re: /\bAIza[0-9A-Za-z_-]{35}\b/g,
    replace: () => REDACTED,
  },
  {
    id: 'stripe-key',
    keywords: ['sk_live', 'rk_live', 'sk_test'],
    re: /\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,247}\b/g,
    replace: () => REDACTED,
  },
  {
    id: 'npm-token',
    keywords: ['npm_'],
    re: /\bnpm_[A-Za-z0-9]{36}\b/g,
    replace: () => REDACTED,
  },
  {
    // key=value, key: value, "key":"value", key="value" — the value is replaced, the key kept
    id: 'secret-assignment',
    keywords: [
      'pass',
      'pwd',
      'secret',
      'token',
      'key',
      'credential',
      'signature',
    ],
    re: new RegExp(
      `([\\w.-]{0,40}${SECRET_KEYS}[\\w.-]{0,40})("?\\s{0,3}[=:]\\s{0,3})("[^"\\r\\n]{1,512}"|'[^'\\r\\n]{1,512}'|[^\\s"',;&}{)\\]]{1,512})`,
      'gi',
    ),
    replace: (m, key, sep, value) => {
      if (value.startsWith('"') && value.endsWith('"'))
        return `${key}${sep}"${REDACTED}"`;
      if (value.startsWith("'") && value.endsWith("'"))
        return `${key}${sep}'${REDACTED}'`;
      if (value === REDACTED || value.startsWith('[REDACTED')) return m;
      return `${key}${sep}${REDACTED}`;
    },
  },
];

const ANY_KEYWORD = new RegExp(
  [...new Set(RULES.flatMap(r => r.keywords))]
    .map(k => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('|'),
  'i',
);

/**
 * Result of {@link redactSecretsDetailed}.
 *
 * @public
 */
export interface RedactionResult {
  text: string;
  /** Number of replacements made. */
  redactions: number;
  /** Ids of the rules that matched. */
  rules: string[];
}

/**
 * Redacts secrets and reports which rules fired.
 *
 * @public
 */
export function redactSecretsDetailed(text: string): RedactionResult {
  // one case-insensitive scan decides for the common case: no keyword, nothing to do
  if (text.length === 0 || !ANY_KEYWORD.test(text)) {
    return { text, redactions: 0, rules: [] };
  }
  const lower = text.toLowerCase();
  let out = text;
  let redactions = 0;
  const rules: string[] = [];
  for (const rule of RULES) {
    let hit = false;
    for (const k of rule.keywords) {
      if (lower.indexOf(k) !== -1) {
        hit = true;
        break;
      }
    }
    if (!hit) continue;
    let count = 0;
    out = out.replace(rule.re, (...args: unknown[]) => {
      const replaced = rule.replace(...(args as [string, ...string[]]));
      if (replaced !== args[0]) count++;
      return replaced;
    });
    if (count > 0) {
      redactions += count;
      rules.push(rule.id);
    }
  }
  return { text: out, redactions, rules };
}

/**
 * Redacts bearer/basic tokens, credentials in URLs, AWS keys, private-key blocks, JWTs,
 * vendor tokens (GitHub, GitLab, Slack, Google, Stripe, npm), `password=` / `token=` /
 * `secret=` style pairs in text, logfmt and JSON, and connection-string passwords.
 *
 * @public
 */
export function redactSecrets(text: string): string {
  return redactSecretsDetailed(text).text;
}

const PEM_BEGIN = /-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
const PEM_END = /-----END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
/** body of a PEM block: base64 lines, `Proc-Type:`-style headers, blank lines */
const PEM_BODY = /^\s*(?:[A-Za-z0-9+/=]{1,128}|[A-Za-z-]{1,40}: .{0,200})?\s*$/;

/**
 * Redacts a sequence of log lines (one element per line): each line with
 * {@link redactSecrets}, and the body lines of a private-key block that a program printed
 * over several lines, which no single line reveals as a secret. A block ends at its END line
 * or at the first line that cannot be part of it.
 *
 * @public
 */
export function redactSecretLines(lines: readonly string[]): string[] {
  let inBlock = false;
  return lines.map(line => {
    if (inBlock) {
      if (PEM_END.test(line)) {
        inBlock = false;
        return REDACTED;
      }
      if (PEM_BODY.test(line)) return REDACTED;
      inBlock = false;
    }
    if (PEM_BEGIN.test(line) && !PEM_END.test(line)) inBlock = true;
    return redactSecrets(line);
  });
}
