/**
 * A labelled redaction corpus: planted secrets of every class the redactor should catch, each
 * line with the exact secret text that must not survive, and ordinary log lines (humanlog's
 * real logger samples from the shared fixtures) that must be stored byte-identical.
 * Planted values are generated (seeded) in each vendor's published format.
 */
import { fixturePath } from '@pod-watch/test-fixtures';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export interface Planted {
  secretClass: string;
  /** lines written to the container log (a PEM block spans several) */
  lines: string[];
  /** substrings that must be gone after capture */
  secrets: string[];
}

/** Deterministic generator of secret-looking strings. */
function generator(seed: number) {
  // mulberry32: an LCG's low bits repeat with a short period, which would plant the same
  // substrings in different secrets
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const from = (alphabet: string, n: number) =>
    Array.from({ length: n }, () => alphabet[next() % alphabet.length]).join(
      '',
    );
  return {
    upper: (n: number) => from('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', n),
    alnum: (n: number) =>
      from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', n),
    b64: (n: number) =>
      from(
        'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
        n,
      ),
    b64url: (n: number) =>
      from(
        'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
        n,
      ),
    hex: (n: number) => from('0123456789abcdef', n),
    pick: <T>(xs: readonly T[]) => xs[next() % xs.length],
  };
}

const b64url = (o: object) =>
  Buffer.from(JSON.stringify(o)).toString('base64url');

/** `variants` planted secrets per class. */
export function plantedSecrets(variants: number, seed = 7): Planted[] {
  const g = generator(seed);
  const out: Planted[] = [];
  const one = (secretClass: string, line: string, secret: string) =>
    out.push({ secretClass, lines: [line], secrets: [secret] });
  for (let i = 0; i < variants; i++) {
    const t = g.alnum(40);
    one('bearer header', `GET /v1/orders Authorization: Bearer ${t} 200`, t);
    const t2 = g.b64url(48);
    one('bearer in prose', `retrying upstream with bearer ${t2}`, t2);
    const jwt = `${b64url({ alg: 'RS256', kid: g.alnum(8) })}.${b64url({
      sub: `user-${i}`,
      exp: 1893456000 + i,
    })}.${g.b64url(86)}`;
    one('JWT', `{"level":"info","msg":"login ok","id_token":"${jwt}"}`, jwt);
    const sa = `${b64url({ alg: 'RS256', kid: g.alnum(43) })}.${b64url({
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': 'shop',
      sub: 'system:serviceaccount:shop:default',
    })}.${g.b64url(342)}`;
    one('Kubernetes service-account token', `mounted token ${sa}`, sa);
    const akia = `AKIA${g.upper(16)}`;
    one(
      'AWS access key id',
      `aws: using access key ${akia} in eu-west-1`,
      akia,
    );
    const aws = g.b64(40);
    one('AWS secret access key', `aws_secret_access_key = ${aws}`, aws);
    const ghp = `ghp_${g.alnum(36)}`;
    one('GitHub token', `git clone failed for token ${ghp}`, ghp);
    const pat = `github_pat_${g.alnum(22)}_${g.alnum(59)}`;
    one('GitHub fine-grained token', `GH_TOKEN set (${pat})`, pat);
    const glpat = `glpat-${g.b64url(20)}`;
    one('GitLab token', `gitlab api call with ${glpat}`, glpat);
    const slack = `xoxb-${g.hex(11)}-${g.hex(13)}-${g.alnum(24)}`;
    one('Slack token', `posting to slack with ${slack}`, slack);
    const hook = `https://hooks.slack.com/services/T${g.upper(8)}/B${g.upper(
      8,
    )}/${g.alnum(24)}`;
    one('Slack webhook URL', `notify: ${hook}`, hook.split('/').pop()!);
    const stripe = `sk_live_${g.alnum(24)}`;
    one('Stripe key', `charge failed key=${stripe}`, stripe);
    const google = `AIza${g.b64url(35)}`;
    one('Google API key', `maps request ${google}`, google);
    const npm = `npm_${g.alnum(36)}`;
    one('npm token', `//registry.npmjs.org/:_authToken=${npm}`, npm);
    const pw = `${g.alnum(12)}!${g.hex(4)}`;
    one(
      'password in URL',
      `connecting to postgres://app:${pw}@db.shop.svc:5432/orders`,
      pw,
    );
    const rpw = g.alnum(20);
    one(
      'password in URL, no user',
      `redis: dial redis://:${rpw}@redis:6379/0`,
      rpw,
    );
    const mpw = g.alnum(16);
    one(
      'connection string',
      `Server=sql;Database=shop;User Id=sa;Password=${mpw};Encrypt=true`,
      mpw,
    );
    const kv = g.alnum(18);
    one('key=value', `starting worker db_password=${kv} pool=10`, kv);
    const js = g.alnum(22);
    one('JSON field', `{"user":"svc","password":"${js}","ok":true}`, js);
    const yml = g.alnum(24);
    one('client secret', `oauth client_secret: ${yml}`, yml);
    const api = g.hex(32);
    one('API key header', `X-Api-Key: ${api}`, api);
    const basic = Buffer.from(`admin:${g.alnum(14)}`).toString('base64');
    one('basic auth header', `"authorization":"Basic ${basic}"`, basic);
    const cli = g.alnum(16);
    one('password CLI flag', `exec: mysqldump --password ${cli} shop`, cli);
    const body = [g.b64(64), g.b64(64), g.b64(40)];
    out.push({
      secretClass: 'PEM private key block',
      lines: [
        '-----BEGIN RSA PRIVATE KEY-----',
        ...body,
        '-----END RSA PRIVATE KEY-----',
      ],
      secrets: body,
    });
  }
  return out;
}

/** Ordinary lines from real logger output (humanlog's benchmark samples). */
export function ordinaryLines(max: number): string[] {
  const dir = path.dirname(
    fixturePath('logs/humanlog-benchmark/golang-zap__sample-zap.log.gz'),
  );
  const lines: string[] = [];
  for (const file of fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.log.gz'))
    .sort()) {
    const text = zlib
      .gunzipSync(fs.readFileSync(path.join(dir, file)))
      .toString('utf8');
    lines.push(
      ...text.split('\n').filter(l => l.length > 0 && !l.endsWith('\r')),
    );
  }
  return lines.slice(0, max);
}
