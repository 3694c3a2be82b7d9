import { mockCredentials } from '@backstage/backend-test-utils';
import fc from 'fast-check';
import request from 'supertest';
import { podWatchTestBackends } from './__testUtils__/backend';
import { CHECKOUT_REF, CLUSTER } from './__testUtils__/seed';
import { ParameterError } from './errors';
import { eventHistoryQuery, objectHistoryQuery } from './history';
import { incidentsQuery } from './incidents';
import { logsQuery } from './logs';
import { podDetailParams, podsQuery } from './pods';
import { parseParams } from './validation';

/**
 * Hostile parameter values: SQL-ish strings, huge and odd numbers, regex bombs, unicode (lone
 * surrogates, RTL, emoji, NUL), path tricks and very long strings.
 */
const hostile = fc.oneof(
  fc.constantFrom(
    "' OR 1=1 --",
    "'; DROP TABLE pods; --",
    '" OR ""="',
    '%',
    '_',
    '\\',
    '%_%\\%',
    'NULL',
    '1e309',
    '-0',
    'NaN',
    'Infinity',
    '0x10',
    '1_000',
    ' 1',
    '١٢٣',
    '99999999999999999999999999999999',
    '-99999999999999999999',
    '9007199254740993',
    '(a+)+$',
    '(.*a){20}',
    `${'a'.repeat(5000)}!`,
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\u202e\u0646\u0627',
    '🔥🚀',
    '../../etc/passwd',
    '%00',
    'component:default/checkout\n',
    'component:default/checkout',
    '2026-11-20T10:00:00Z',
    '2026-02-30',
    '+275760-09-13T00:00:00Z',
    '1763632800000',
    'true',
    'open,resolved',
    'error,exception',
    ',,,',
  ),
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.bigInt().map(String),
  fc.double().map(String),
  fc.integer().map(String),
);

/** Percent-encodes the UTF-8 bytes of any string, lone surrogates included. */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...Buffer.from(value, 'utf8')]
      .map(b => `%${b.toString(16).padStart(2, '0')}`)
      .join('');
  }
}

/** Already-encoded values: invalid UTF-8 and broken escapes reach the query parser as-is. */
const rawEncoded = fc.constantFrom(
  '%FF%FE',
  '%C0%AF',
  '%E0%80',
  '%',
  '%zz',
  '%25%00',
);

/**
 * A parameter placed in the URL: plain, repeated (an array to express) or bracketed (an
 * object), with a hostile or raw-encoded value.
 */
const placed = (params: string[]) =>
  fc.tuple(
    fc.constantFrom(...params),
    fc.oneof(hostile.map(encode), rawEncoded),
    fc.constantFrom('plain', 'repeated', 'object'),
  );

function queryOf([param, v, shape]: [string, string, string]): string {
  if (shape === 'repeated') return `${param}=${v}&${param}=${v}`;
  if (shape === 'object') return `${param}[x]=${v}`;
  return `${param}=${v}`;
}

const ref = `entityRef=${encodeURIComponent(CHECKOUT_REF)}`;
const ROUTES: Array<[string, string[]]> = [
  [
    `/pods?${ref}`,
    ['cluster', 'namespace', 'health', 'includeDeleted', 'limit', 'offset'],
  ],
  [`/pods/${CLUSTER}/shop/checkout-7d9-3?${ref}`, ['uid']],
  [
    `/logs?${ref}`,
    [
      'pod',
      'container',
      'level',
      'q',
      'start',
      'end',
      'source',
      'fold',
      'order',
      'cursor',
      'limit',
    ],
  ],
  [
    `/incidents?${ref}`,
    ['status', 'type', 'cluster', 'start', 'end', 'limit', 'offset'],
  ],
  [
    '/history/events?',
    [
      'namespace',
      'resourceType',
      'resourceName',
      'type',
      'reason',
      'start',
      'limit',
    ],
  ],
  ['/history/objects?', ['cluster', 'resourceName', 'verb', 'end', 'offset']],
  ['/pods?', ['entityRef']],
];

const backends = podWatchTestBackends();

// PostgreSQL is where hostile text bites (NUL bytes, invalid UTF-8): run on both engines
describe.each(backends.each)(
  'parameter parsing with hostile input on %p',
  id => {
    let server: Awaited<ReturnType<typeof backends.start>>;
    beforeAll(async () => {
      server = await backends.start(id);
    });

    it.each(ROUTES)(
      'answers %s with 200, 400 naming the field, or 404; never 500',
      async (path, params) => {
        await fc.assert(
          fc.asyncProperty(placed(params), async placement => {
            const param = placement[0];
            const sep = path.endsWith('?') ? '' : '&';
            const url = `/api/pod-watch${path}${sep}${queryOf(placement)}`;
            const res = await request(server)
              .get(url)
              .set('Authorization', mockCredentials.user.header());
            expect([200, 400, 404]).toContain(res.status);
            // a 400 names the parameter at fault; only an entity or pod can be "not found"
            expect(res.status === 400 ? res.body.error.field : param).toBe(
              param,
            );
            expect(
              res.status !== 404 || ['entityRef', 'uid'].includes(param),
            ).toBe(true);
          }),
          { numRuns: 60 },
        );
      },
    );

    it.each([
      [
        `/pods/{cluster}/{namespace}/{name}?${ref}`,
        ['cluster', 'namespace', 'name'],
      ],
      ['/incidents/{id}', ['id']],
      ['/history/objects/{cluster}/{uid}', ['cluster', 'uid']],
    ])(
      'answers hostile path segments of %s with 400 naming the segment, 404 or 200',
      async (template, segments) => {
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom(...segments),
            fc.oneof(hostile.map(encode), rawEncoded),
            async (segment, value) => {
              // '.', '..' and '' would change the route itself, not a segment's value
              fc.pre(!['', '.', '..', '%2E', '%2e'].includes(value));
              const path = segments.reduce(
                (p, seg) =>
                  p.replace(`{${seg}}`, seg === segment ? value : 'x'),
                template,
              );
              const res = await request(server)
                .get(`/api/pod-watch${path}`)
                .set('Authorization', mockCredentials.user.header());
              // a valid value may name an existing object (incident 1)
              expect([200, 400, 404]).toContain(res.status);
              // an undecodable segment fails the whole path: express decodes it before routing
              expect(
                res.status === 400 ? [segment, 'path'] : [segment],
              ).toContain(res.status === 400 ? res.body.error.field : segment);
            },
          ),
          { numRuns: 40 },
        );
      },
    );

    it('answers every accepted limit correctly, with consistent paging headers', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 1000 }),
          fc.integer({ min: 0, max: 10 }),
          async (limit, offset) => {
            const res = await request(server)
              .get(
                `/api/pod-watch/incidents?${ref}&limit=${limit}&offset=${offset}`,
              )
              .set('Authorization', mockCredentials.user.header());
            expect(res.status).toBe(200);
            const expected = Math.max(0, Math.min(limit, 5 - offset));
            expect(res.body.items).toHaveLength(expected);
            expect(res.headers['x-total-count']).toBe('5');
            expect(res.headers['x-has-more']).toBe(
              String(offset + expected < 5),
            );
          },
        ),
        { numRuns: 40 },
      );
    });

    it('finds exactly the stored lines containing any search text', async () => {
      const all = await request(server)
        .get(`/api/pod-watch/logs?${ref}&fold=false&limit=2000`)
        .set('Authorization', mockCredentials.user.header());
      const texts: string[] = all.body.items.map((e: any) => e.lines[0]);
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.constantFrom(
              'heap',
              'HEAP',
              '%',
              '_',
              '\\',
              'at com',
              "' OR 1=1",
            ),
            fc.string({ minLength: 1, maxLength: 5, unit: 'grapheme-ascii' }),
          ),
          async q => {
            const res = await request(server)
              .get(
                `/api/pod-watch/logs?${ref}&fold=false&limit=2000&q=${encodeURIComponent(
                  q,
                )}`,
              )
              .set('Authorization', mockCredentials.user.header());
            expect(res.status).toBe(200);
            const expected = texts.filter(t =>
              t.toLowerCase().includes(q.toLowerCase()),
            );
            expect(res.body.items.map((e: any) => e.lines[0]).sort()).toEqual(
              expected.sort(),
            );
          },
        ),
        { numRuns: 60 },
      );
    });
  },
);

describe('parseParams', () => {
  const schemas = [
    podsQuery,
    podDetailParams,
    logsQuery,
    incidentsQuery,
    eventHistoryQuery,
    objectHistoryQuery,
  ];

  it('either parses or throws a ParameterError naming a known parameter', () => {
    const value = fc.oneof(
      hostile,
      fc.array(hostile, { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), hostile, { maxKeys: 2 }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: schemas.length - 1 }),
        fc.dictionary(
          fc.constantFrom(
            'entityRef',
            'cluster',
            'namespace',
            'name',
            'health',
            'limit',
            'offset',
            'level',
            'q',
            'start',
            'end',
            'cursor',
            'status',
            'type',
            'verb',
            'reason',
            'resourceType',
            'fold',
            'order',
            'source',
            '__proto__',
            'constructor',
          ),
          value,
        ),
        (i, input) => {
          const schema = schemas[i];
          let failure: unknown;
          try {
            parseParams(schema, input);
          } catch (e) {
            failure = e;
          }
          expect(
            failure === undefined ||
              (failure instanceof ParameterError &&
                Object.keys(schema.shape).includes(failure.field)),
          ).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
