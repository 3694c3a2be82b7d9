import type { KubeConfig } from '@kubernetes/client-node';
import { REDACTED, redactSecrets } from '@pod-watch/plugin-pod-watch-common';

/**
 * Shorter values are not replaced: they would mangle ordinary words of a message, and are no
 * credential worth hiding.
 */
const MIN_LENGTH = 6;
const SECRET_KEY = /token|secret|password/i;

/** The base64 body lines of a PEM block in base64 `…Data` (what an echo of the file holds). */
function pemLines(data: string): string[] {
  const pem = Buffer.from(data, 'base64').toString('utf8');
  return pem.includes('-----BEGIN')
    ? pem.split('\n').filter(l => l.trim() && !l.startsWith('-----'))
    : [];
}

/**
 * Every credential a kubeconfig holds for its current user: token, password, client key and
 * certificate (base64 and their PEM lines) and the secrets of an auth-provider entry.
 */
export function knownCredentials(kubeConfig: KubeConfig): string[] {
  const user = kubeConfig.getCurrentUser();
  if (!user) return [];
  const provider = (user.authProvider?.config ?? {}) as Record<string, unknown>;
  const values = [
    user.token,
    user.password,
    ...[user.keyData, user.certData].flatMap(d =>
      d ? [d, ...pemLines(d)] : [],
    ),
    ...Object.entries(provider)
      .filter(([k, v]) => SECRET_KEY.test(k) && typeof v === 'string')
      .map(([, v]) => v as string),
  ];
  return values.filter((v): v is string => !!v && v.length >= MIN_LENGTH);
}

/**
 * Makes a cluster error safe to show or store: a proxy or an API server may echo the request's
 * credentials in its message, which the generic rules (`redactSecrets`) miss when the value has
 * no telling prefix. The cluster's own credentials (and `also`, e.g. the Authorization header a
 * request really sent) are replaced verbatim, then the generic rules apply.
 */
export function redactKnownCredentials(
  text: string,
  kubeConfig: KubeConfig | undefined,
  also: readonly (string | undefined)[] = [],
): string {
  const known = [
    ...(kubeConfig ? knownCredentials(kubeConfig) : []),
    ...also.filter((v): v is string => !!v && v.length >= MIN_LENGTH),
  ].sort((a, b) => b.length - a.length); // longest first: a value may contain another
  let out = text;
  for (const value of known) {
    if (out.includes(value)) out = out.split(value).join(REDACTED);
  }
  return redactSecrets(out);
}
