import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { ParameterError } from './errors';

/**
 * Request parameter parsing: every route parses its query and path parameters with a schema from
 * here and answers 400 naming the first parameter at fault. Values arrive from express's query
 * parser, so a parameter may also be an array (repeated) or an object (`a[b]=c`); the schemas
 * accept strings only. All patterns are linear (no nested quantifiers), so hostile input cannot
 * make them backtrack.
 */

// NUL is refused by PostgreSQL text columns; other control characters never belong in a name.
const hasControl = (s: string) => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
};

/** A free-form but bounded string without control characters (cluster names, kinds …). */
export const name = (max = 253) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(s => !hasControl(s), 'must not contain control characters');

/** Kubernetes namespace / container name: an RFC 1123 label. */
export const dnsLabel = () =>
  z
    .string()
    .max(63, 'must be at most 63 characters')
    .regex(
      /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/,
      'must be a Kubernetes name (lower-case letters, digits and -)',
    );

/** Kubernetes object name: an RFC 1123 subdomain. */
export const dnsSubdomain = () =>
  z
    .string()
    .max(253, 'must be at most 253 characters')
    .regex(
      /^[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?$/,
      'must be a Kubernetes name (lower-case letters, digits, - and .)',
    );

/** Kubernetes kind, e.g. `Deployment`. */
export const kind = () =>
  z
    .string()
    .max(63, 'must be at most 63 characters')
    .regex(/^[A-Za-z][A-Za-z0-9]*$/, 'must be a Kubernetes kind');

export const uid = () =>
  z
    .string()
    .max(64, 'must be at most 64 characters')
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'must be a Kubernetes uid');

/** Search text: any unicode except NUL, bounded. */
export const searchText = (max = 200) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine(s => !s.includes('\u0000'), 'must not contain NUL characters');

/** A non-negative integer within [min, max], written in decimal digits. */
export const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a non-negative integer')
    // more digits than any limit we accept: keep it out of floating point
    .transform(s => (s.length > 15 ? Number.MAX_SAFE_INTEGER : Number(s)))
    .pipe(
      z
        .number()
        .min(min, `must be at least ${min}`)
        .max(max, `must be at most ${max}`),
    );

export const bool = () =>
  z
    .enum(['true', 'false', '1', '0'], {
      message: 'must be true or false',
    })
    .transform(s => s === 'true' || s === '1');

const ISO_TIME =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const MAX_TIME = Date.UTC(9999, 11, 31);

/** ISO 8601 date(-time) or epoch milliseconds. */
export const time = () =>
  z
    .string()
    .max(40, 'must be an ISO 8601 time or epoch milliseconds')
    .transform((s, ctx) => {
      let ms = Number.NaN;
      if (/^\d{1,15}$/.test(s)) ms = Number(s);
      else if (ISO_TIME.test(s)) ms = Date.parse(s);
      if (!Number.isFinite(ms) || ms < 0 || ms > MAX_TIME) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be an ISO 8601 time or epoch milliseconds',
        });
        return z.NEVER;
      }
      return new Date(ms);
    });

/** Comma-separated values from a fixed set, e.g. `health=failing,degraded`. */
export const enumList = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .max(1000, 'is too long')
    .transform(s =>
      s
        .split(',')
        .map(v => v.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z.enum(values as [T, ...T[]], {
            message: `values must be one of ${values.join(', ')}`,
          }),
        )
        .min(1, 'must list at least one value'),
    );

/** Comma-separated free-form values (incident types, Event reasons). */
export const nameList = (max = 50) =>
  z
    .string()
    .max(4000, 'is too long')
    .transform(s =>
      s
        .split(',')
        .map(v => v.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(name(253))
        .min(1, 'must list at least one value')
        .max(max, `must list at most ${max} values`),
    );

/** A catalog entity reference, normalised to `kind:namespace/name`. */
export const entityRef = () =>
  z
    .string()
    .max(1024, 'must be at most 1024 characters')
    .transform((s, ctx) => {
      try {
        return stringifyEntityRef(
          parseEntityRef(s, { defaultNamespace: 'default' }),
        );
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'must be an entity reference like component:default/name',
        });
        return z.NEVER;
      }
    });

/**
 * Parses request parameters with a schema; throws a ParameterError naming the first failing
 * parameter. Parameters the schema does not name are ignored.
 */
export function parseParams<S extends z.ZodType>(
  schema: S,
  input: unknown,
): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? String(issue.path[0]) : 'request';
  const message =
    issue?.code === 'invalid_type' && /received undefined/.test(issue.message)
      ? 'is required'
      : issue?.message ?? 'is invalid';
  throw new ParameterError(field, message);
}

/** Throws a 400 on `end` when a time range is reversed. */
export function checkTimeRange(start?: Date, end?: Date): void {
  if (start && end && start.getTime() > end.getTime()) {
    throw new ParameterError('end', 'must not be before start');
  }
}
