/**
 * Route fuzzing over real HTTP: every parameter of every route in openapi.yaml gets hostile
 * values (one parameter at a time, the others valid), plain, repeated or bracketed.
 */
import fc from 'fast-check';
import { fillPath, Route } from './routes';

/** Values that have broken query layers elsewhere: SQL, regex bombs, odd numbers and dates. */
const KNOWN_BAD = [
  "' OR 1=1 --",
  "'; DROP TABLE pods; --",
  '%_%\\',
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '(a+)+$',
  '(.*a){25}',
  `${'a'.repeat(30)}!`,
  '[',
  '\\',
  '-1',
  '0',
  '1e309',
  'NaN',
  '-Infinity',
  '99999999999999999999999999',
  '9007199254740993',
  '0x7fffffff',
  '2026-02-30T25:61:00Z',
  '+275760-09-13T00:00:01Z',
  '-271821-04-20T00:00:00Z',
  '8640000000000001',
  'a\u0000b',
  '\ud800',
  '\u202e\u0627\u0644\u0639\u0631\u0628\u064a\u0629',
  '👩‍👩‍👧‍👦🔥',
  'Z̸̡͎̈́a̵l̷g̶o̴',
  'x'.repeat(10_000),
  ',,,,',
  'true',
  'null',
  '{"$ne":null}',
];

/** Already-encoded values: invalid UTF-8 and broken escapes reach the parsers as they are. */
const RAW_ENCODED = [
  '%FF%FE',
  '%C0%AF',
  '%ED%A0%80',
  '%',
  '%zz',
  '%00',
  '%E2%80',
];

const hostileValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KNOWN_BAD) },
  fc.string({ maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.bigInt().map(String),
  fc.double().map(String),
  fc
    .date({ noInvalidDate: false })
    .map(d => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString())),
);

/** Percent-encodes every UTF-8 byte (lone surrogates become U+FFFD, as on any real wire). */
export function encode(value: string): string {
  return Buffer.from(value, 'utf8').toString('hex').replace(/../g, '%$&');
}

export interface FuzzRequest {
  route: Route;
  param: string;
  method: string;
  /** path and query, relative to the plugin's base URL */
  url: string;
}

/** One request per (parameter, hostile value); the other parameters keep their valid values. */
export function fuzzRequests(
  routes: Route[],
  valid: Record<string, string>,
  perParameter: number,
  seed: number,
): FuzzRequest[] {
  const samples = fc.sample(
    fc.tuple(
      fc.oneof(
        { weight: 4, arbitrary: hostileValue.map(encode) },
        fc.constantFrom(...RAW_ENCODED),
      ),
      fc.constantFrom('plain', 'repeated', 'bracketed'),
    ),
    { numRuns: perParameter * 50, seed },
  );
  const out: FuzzRequest[] = [];
  let next = 0;
  for (const route of routes) {
    for (const param of route.parameters) {
      for (let i = 0; i < perParameter; i++) {
        const [value, shape] = samples[next++ % samples.length];
        const pathValues = Object.fromEntries(
          route.parameters
            .filter(p => p.in === 'path')
            .map(p => [p.name, encode(valid[p.name] ?? 'x')]),
        );
        const query = route.parameters
          .filter(p => p.in === 'query' && p.name !== param.name && p.required)
          .map(p => `${p.name}=${encode(valid[p.name] ?? 'x')}`);
        if (param.in === 'path') {
          // an empty segment would be another route, not a hostile value for this one
          pathValues[param.name] = value || '%20';
        } else if (shape === 'repeated') {
          query.push(`${param.name}=${value}`, `${param.name}=${value}`);
        } else if (shape === 'bracketed') {
          query.push(`${param.name}[a]=${value}`);
        } else {
          query.push(`${param.name}=${value}`);
        }
        const path = fillPath(route.template, pathValues, true);
        out.push({
          route,
          param: param.name,
          method: route.method,
          url: `${path}${query.length ? `?${query.join('&')}` : ''}`,
        });
      }
    }
  }
  return out;
}

export interface FuzzOutcome {
  sent: number;
  status: Record<number, number>;
  fivexx: string[];
  /** 400s whose error does not name the parameter that was made hostile */
  unnamed: string[];
  /** 4xx without a JSON error message */
  unclear: string[];
  /** 200s whose JSON body does not parse */
  badJson: string[];
  bodies: string[];
}

/** Sends the requests one after another (the machine is shared) and classifies the answers. */
export async function sendFuzz(
  baseUrl: string,
  requests: FuzzRequest[],
  headers: Record<string, string>,
  keepBodies = false,
): Promise<FuzzOutcome> {
  const outcome: FuzzOutcome = {
    sent: 0,
    status: {},
    fivexx: [],
    unnamed: [],
    unclear: [],
    badJson: [],
    bodies: [],
  };
  for (const r of requests) {
    const res = await fetch(`${baseUrl}${r.url}`, {
      method: r.method,
      headers,
    });
    const body = await res.text();
    outcome.sent++;
    outcome.status[res.status] = (outcome.status[res.status] ?? 0) + 1;
    if (keepBodies) outcome.bodies.push(body);
    const where = `${r.method} ${r.url.slice(0, 160)} → ${res.status}`;
    if (res.status >= 500) {
      outcome.fivexx.push(`${where} ${body.slice(0, 200)}`);
      continue;
    }
    const json = (res.headers.get('content-type') ?? '').includes('json')
      ? safeParse(body)
      : undefined;
    if (res.status === 414 || res.status === 431) {
      // Node's HTTP parser refuses an over-long URL before any router sees it: no body to check
      continue;
    }
    if (res.status >= 400) {
      const error = json?.error;
      if (typeof error?.message !== 'string' || error.message.length === 0) {
        outcome.unclear.push(where);
      } else if (
        res.status === 400 &&
        error.field !== r.param &&
        !error.message.includes(`'${r.param}'`) &&
        !(
          r.route.parameters.find(p => p.name === r.param)?.in === 'path' &&
          error.field === 'path'
        )
      ) {
        outcome.unnamed.push(`${where} (${r.param}): ${error.message}`);
      }
    } else if (
      res.headers.get('content-type')?.includes('json') &&
      json === undefined
    ) {
      outcome.badJson.push(where);
    }
  }
  return outcome;
}

function safeParse(body: string): any {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
