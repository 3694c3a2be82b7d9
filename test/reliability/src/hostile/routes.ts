/**
 * The routes and their parameters as `openapi.yaml` declares them, so a route added to the spec
 * is fuzzed and checked for authentication without touching this suite.
 */
import fs from 'node:fs';
import { parse } from 'yaml';

export interface RouteParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Record<string, any>;
}

export interface Route {
  method: string;
  /** the spec's path template, e.g. `/pods/{cluster}/{namespace}/{name}` */
  template: string;
  operationId: string;
  /** false for routes the spec marks `security: []` (open to probes) */
  authenticated: boolean;
  parameters: RouteParameter[];
  /** statuses the spec documents for the route */
  statuses: string[];
}

export const OPENAPI_PATH = require.resolve(
  '@pod-watch/plugin-pod-watch-backend/src/router/openapi.yaml',
);

export function readRoutes(file = OPENAPI_PATH): Route[] {
  const spec = parse(fs.readFileSync(file, 'utf8'));
  const resolve = (p: any) =>
    p.$ref ? spec.components.parameters[p.$ref.split('/').pop()] : p;
  const routes: Route[] = [];
  for (const [template, ops] of Object.entries<any>(spec.paths)) {
    for (const [method, op] of Object.entries<any>(ops)) {
      routes.push({
        method: method.toUpperCase(),
        template,
        operationId: op.operationId,
        authenticated: !(
          Array.isArray(op.security) && op.security.length === 0
        ),
        parameters: (op.parameters ?? []).map(resolve).map((p: any) => ({
          name: p.name,
          in: p.in,
          required: Boolean(p.required),
          schema: p.schema ?? {},
        })),
        statuses: Object.keys(op.responses ?? {}),
      });
    }
  }
  return routes;
}

/** Fills a path template; values are percent-encoded unless `raw`. */
export function fillPath(
  template: string,
  values: Record<string, string>,
  raw = false,
): string {
  return template.replace(/\{(\w+)\}/g, (_m, name) =>
    raw ? values[name] : encodeURIComponent(values[name]),
  );
}

/** The route's URL with valid values: path parameters and a required `entityRef`. */
export function routeUrl(route: Route, valid: Record<string, string>): string {
  const query = route.parameters
    .filter(p => p.in === 'query' && p.name === 'entityRef')
    .map(p => `${p.name}=${encodeURIComponent(valid[p.name])}`);
  return `${fillPath(route.template, valid)}${
    query.length ? `?${query.join('&')}` : ''
  }`;
}

/** Calls a route with valid values; `auth` is the Authorization header. */
export async function callRoute(
  baseUrl: string,
  route: Route,
  valid: Record<string, string>,
  auth?: string,
): Promise<{ status: number; body: string }> {
  const res = await fetch(`${baseUrl}${routeUrl(route, valid)}`, {
    method: route.method,
    headers: auth ? { authorization: auth } : {},
  });
  return { status: res.status, body: await res.text() };
}

/** A 5xx the spec does not document for the route (health's 503, the test route's 501). */
export function isServerError(route: Route, status: number): boolean {
  return status >= 500 && !route.statuses.includes(String(status));
}
