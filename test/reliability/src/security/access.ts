/**
 * Who may call what: every route of openapi.yaml without a token, with a forged one and with
 * every permission denied; then an example owner-only policy on the entity-scoped routes.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { callRoute, isServerError, Route } from '../hostile/routes';

export interface AccessOutcome {
  /** requests whose status was not the documented one */
  wrong: string[];
  bodies: string[];
  sent: number;
  serverErrors: number;
}

/** Unauthenticated and forged tokens → 401 (open routes answer); denied users → 403/404. */
export async function checkAuthMatrix(
  baseUrl: string,
  routes: Route[],
  valid: Record<string, string>,
): Promise<AccessOutcome> {
  const out: AccessOutcome = {
    wrong: [],
    bodies: [],
    sent: 0,
    serverErrors: 0,
  };
  for (const r of routes) {
    const calls = {
      anonymous: await callRoute(
        baseUrl,
        r,
        valid,
        mockCredentials.none.header(),
      ),
      forged: await callRoute(baseUrl, r, valid, 'Bearer forged.jwt.token'),
      denied: await callRoute(baseUrl, r, valid, mockCredentials.user.header()),
    };
    for (const [who, res] of Object.entries(calls)) {
      out.sent++;
      out.bodies.push(res.body);
      if (isServerError(r, res.status)) out.serverErrors++;
      const documented = r.statuses.includes(String(res.status));
      let ok: boolean;
      if (!r.authenticated) {
        // open to probes: answers (health may be a documented 503), never 401/403
        ok = res.status < 400 || (documented && res.status >= 500);
      } else if (who === 'denied') {
        ok = [403, 404].includes(res.status) && documented;
      } else {
        ok = res.status === 401;
      }
      if (!ok)
        out.wrong.push(`${who} ${r.method} ${r.template} → ${res.status}`);
    }
  }
  return out;
}

/** The entity-scoped routes as the owner (expect 200) and as another user (expect 403). */
export async function checkOwnerPolicy(
  baseUrl: string,
  routes: Route[],
  valid: Record<string, string>,
  owner: string,
  other: string,
): Promise<AccessOutcome & { owner: number[]; other: number[] }> {
  const scoped = routes.filter(r =>
    r.parameters.some(p => p.name === 'entityRef' && p.required),
  );
  const out = {
    wrong: [] as string[],
    bodies: [] as string[],
    sent: 0,
    serverErrors: 0,
    owner: [] as number[],
    other: [] as number[],
  };
  for (const r of scoped) {
    const mine = await callRoute(
      baseUrl,
      r,
      valid,
      mockCredentials.user.header(owner),
    );
    const theirs = await callRoute(
      baseUrl,
      r,
      valid,
      mockCredentials.user.header(other),
    );
    out.sent += 2;
    out.owner.push(mine.status);
    out.other.push(theirs.status);
    out.bodies.push(mine.body, theirs.body);
    out.serverErrors += [mine, theirs].filter(x =>
      isServerError(r, x.status),
    ).length;
    if (mine.status !== 200)
      out.wrong.push(`owner ${r.template} → ${mine.status}`);
    if (theirs.status !== 403)
      out.wrong.push(`non-owner ${r.template} → ${theirs.status}`);
  }
  return out;
}
