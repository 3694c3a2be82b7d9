import {
  REDACTED,
  redactSecretLines,
  redactSecrets,
  redactSecretsDetailed,
} from './redactSecrets';

// Test credentials below are fabricated and follow each vendor's published format.
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

describe('redactSecrets', () => {
  it.each([
    [
      'bearer token',
      'GET /api Authorization: Bearer abcdef0123456789abcdef0123456789',
      'Authorization: Bearer [REDACTED]',
    ],
    [
      'bare bearer token',
      'using Bearer abcdef0123456789abcdef0123456789 for upstream',
      'using Bearer [REDACTED] for upstream',
    ],
    [
      'basic auth header',
      '"authorization":"Basic dXNlcjpwYXNzd29yZA=="',
      '"authorization":"Basic [REDACTED]"',
    ],
    [
      'basic-auth URL',
      'fetching https://admin:s3cr3t@registry.example.com/v2/',
      'https://admin:[REDACTED]@registry.example.com/v2/',
    ],
    [
      'postgres connection string',
      'dsn=postgresql://app:hunter2@db:5432/shop?sslmode=require',
      'postgresql://app:[REDACTED]@db:5432/shop',
    ],
    [
      'AWS access key id',
      'aws key AKIAIOSFODNN7EXAMPLE loaded',
      'aws key [REDACTED] loaded',
    ],
    [
      'AWS secret key pair',
      'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'aws_secret_access_key=[REDACTED]',
    ],
    ['JWT', `token ${JWT} accepted`, 'token [REDACTED] accepted'],
    [
      'password=',
      'connecting with user=app password=hunter2 host=db',
      'password=[REDACTED] host=db',
    ],
    [
      'token= in a query',
      'GET /callback?code=1&token=abc123XYZ&state=9',
      'token=[REDACTED]&state=9',
    ],
    [
      'secret: in YAML',
      'client_secret: 0f8fad5b-d9cb-469f-a165-70867728950e',
      'client_secret: [REDACTED]',
    ],
    [
      'JSON password',
      '{"user":"bob","password":"p@ss w0rd!","level":"info"}',
      '"password":"[REDACTED]"',
    ],
    ['logfmt quoted', 'msg=login api_key="k-123-456"', 'api_key="[REDACTED]"'],
    [
      'ADO.NET connection string',
      'Server=db;Database=shop;User Id=sa;Password=Pa55word;',
      'Password=[REDACTED];',
    ],
    [
      'Azure account key',
      'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc+def/ghi==;',
      'AccountKey=[REDACTED];',
    ],
    [
      'GitHub token',
      'GITHUB=ghp_0123456789abcdefghijABCDEFGHIJ012345',
      '[REDACTED]',
    ],
    [
      'URL password without a user',
      'dial redis://:Xk2mP9qLw8Zr@redis:6379/0',
      'redis://:[REDACTED]@redis:6379/0',
    ],
    [
      'Slack webhook URL',
      'notify https://hooks.slack.com/services/T0123ABCD/B0456EFGH/aBcDeFgHiJkLmNoPqRsTuVwX',
      'hooks.slack.com/services/[REDACTED]',
    ],
    [
      'password CLI flag',
      'exec: mysqldump --password s3cr3tPa55 shop',
      'mysqldump --password [REDACTED] shop',
    ],
    [
      'token CLI flag',
      'argv: helm repo add --token glabc123def456 x',
      '--token [REDACTED] x',
    ],
    [
      'Slack token',
      'slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
      'slack [REDACTED]',
    ],
  ])('%s', (_name, input, expected) => {
    const out = redactSecrets(input);
    expect(out).toContain(expected);
    expect(out).toContain(REDACTED);
  });

  it('redacts private-key blocks, even truncated ones', () => {
    const key =
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabc\n-----END RSA PRIVATE KEY-----';
    const out = redactSecrets(`loaded key:\n${key}\nnext line`);
    expect(out).not.toContain('MIIEow');
    expect(out).toContain('next line');
    expect(
      redactSecrets('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXkt'),
    ).not.toContain('b3Bl');
  });

  it('redacts a private-key block printed over several log lines', () => {
    const out = redactSecretLines([
      'loaded key:',
      '-----BEGIN RSA PRIVATE KEY-----',
      'Proc-Type: 4,ENCRYPTED',
      'MIIEowIBAAKCAQEA7abcdefghijklmnopqrstuvwxyz0123456789+/ABCDEFGHIJ',
      'cmVzdCBvZiB0aGUga2V5',
      '-----END RSA PRIVATE KEY-----',
      'next line password=hunter2',
    ]);
    expect(out.join('\n')).not.toMatch(/MIIEow|cmVzdC|ENCRYPTED/);
    expect(out[0]).toBe('loaded key:');
    expect(out[6]).toBe('next line password=[REDACTED]');
  });

  it('ends an unterminated key block at the first line that cannot belong to it', () => {
    const out = redactSecretLines([
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      'b3BlbnNzaC1rZXktdjEAAAAA',
      '2026-11-20 INFO server started on :8080',
    ]);
    expect(out[1]).toBe(REDACTED);
    expect(out[2]).toBe('2026-11-20 INFO server started on :8080');
  });

  it('leaves ordinary log lines alone', () => {
    for (const line of [
      '18:43:33.082 [main] INFO  o.e.OrderController - Request processed successfully in 713 ms',
      'level=info msg="token refreshed" expires_in=3600',
      'Bearer authentication failed for user bob',
      'GET https://example.com/api/v1/orders?page=2 200',
      'password policy updated',
      'listening on tcp://:8080',
      'usage: app --password-file /run/secrets/db --token-ttl 3600',
      'see https://api.slack.com/messaging/webhooks for details',
    ]) {
      expect(redactSecrets(line)).toBe(line);
    }
  });

  it('is idempotent and reports what it did', () => {
    const once = redactSecretsDetailed(
      'password=hunter2 url=https://u:p@h/ AKIAIOSFODNN7EXAMPLE',
    );
    expect(once.redactions).toBe(3);
    expect(once.rules.sort()).toEqual([
      'aws-access-key-id',
      'secret-assignment',
      'url-credentials',
    ]);
    expect(redactSecrets(once.text)).toBe(once.text);
  });

  it('handles a 1 MB line quickly', () => {
    const big = `${'a=b '.repeat(250_000)}password=x`;
    const start = Date.now();
    expect(redactSecrets(big).endsWith('password=[REDACTED]')).toBe(true);
    expect(Date.now() - start).toBeLessThan(2000);
  });
});
