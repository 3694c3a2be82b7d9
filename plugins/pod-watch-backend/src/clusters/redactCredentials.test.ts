import { KubeConfig } from '@kubernetes/client-node';
import { REDACTED } from '@pod-watch/plugin-pod-watch-common';
import { startSim } from '../watch/__testUtils__/harness';
import { KubeApiError } from './KubeClient';
import { knownCredentials, redactKnownCredentials } from './redactCredentials';
import { failOnceWithStatus } from './__testUtils__/statusFault';

const PEM_BODY = 'MIIBszCCAVmgAwIBAgIUQ2xpZW50S2V5Qm9keUxpbmVPbmU';
const PEM = `-----BEGIN EC PRIVATE KEY-----\n${PEM_BODY}\n-----END EC PRIVATE KEY-----\n`;
const KEY_DATA = Buffer.from(PEM).toString('base64');

function kubeConfigWith(user: Record<string, unknown>): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:6443' }],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return kc;
}

describe('redactKnownCredentials', () => {
  it('replaces every credential of the current user verbatim', () => {
    const kc = kubeConfigWith({
      token: 'plain-token-without-prefix-0123',
      password: 'hunter22',
      keyData: KEY_DATA,
      authProvider: {
        name: 'oidc',
        config: { 'id-token': 'oidc-id-token-4567', 'client-id': 'backstage' },
      },
    });
    expect(knownCredentials(kc)).toEqual(
      expect.arrayContaining([
        'plain-token-without-prefix-0123',
        'hunter22',
        KEY_DATA,
        PEM_BODY,
        'oidc-id-token-4567',
      ]),
    );
    expect(knownCredentials(kc)).not.toContain('backstage');
    const text = [
      'denied plain-token-without-prefix-0123',
      'login hunter22 failed',
      `key ${PEM_BODY}`,
      'oidc-id-token-4567 expired for client backstage',
    ].join('; ');
    expect(redactKnownCredentials(text, kc)).toBe(
      [
        `denied ${REDACTED}`,
        `login ${REDACTED} failed`,
        `key ${REDACTED}`,
        `${REDACTED} expired for client backstage`,
      ].join('; '),
    );
  });

  it('also replaces extra values and applies the generic rules, short values are kept', () => {
    const kc = kubeConfigWith({ password: 'abc' });
    expect(
      redactKnownCredentials('abc sent exec-token-89abcdef, password=xyz', kc, [
        'exec-token-89abcdef',
        undefined,
      ]),
    ).toBe(`abc sent ${REDACTED}, password=${REDACTED}`);
    expect(redactKnownCredentials('nothing here', undefined)).toBe(
      'nothing here',
    );
  });

  it('keeps an echoed token out of KubeClient errors', async () => {
    const { sim, client } = await startSim();
    try {
      const clear = failOnceWithStatus(
        sim,
        '/version',
        500,
        `proxy saw ${sim.token}`,
      );
      const error = await client.getJson('/version').catch(e => e);
      clear();
      expect(error).toBeInstanceOf(KubeApiError);
      expect(error.status).toBe(500);
      expect(error.message).toBe(`/version: 500 proxy saw ${REDACTED}`);
      expect(JSON.stringify(error.body)).not.toContain(sim.token);
    } finally {
      await sim.close();
    }
  }, 60_000); // the simulator generates its certificate on start
});
