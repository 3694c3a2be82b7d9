import { Binding, placeholders } from './batching';
import {
  LabelRequirement,
  parseLabelSelector as parseSelectorString,
} from '@pod-watch/plugin-pod-watch-common';
import { SelectorRequirement } from './types';

export interface LabelIndex {
  /** index table, e.g. 'pod_labels' */
  table: string;
  /** its column holding the object uid, e.g. 'pod_uid' */
  uidColumn: string;
  /** alias of the outer object table; it must have `cluster` and `uid` */
  outer: string;
}

export interface SqlFragment {
  sql: string;
  bindings: Binding[];
}

/**
 * Compiles label-selector requirements into SQL conditions over a label index table.
 *
 * One positive requirement (the first `=`, else the first `in`, else the first `exists`) drives:
 * it is written as `(cluster, uid) IN (subquery)` so the planner can start from the
 * (key, value) index instead of scanning every object. Every other requirement is a correlated
 * [NOT] EXISTS probe of the (cluster, uid, key) primary key: materialising a second, broad
 * subquery (`tier` matching half the pods) would cost more than probing the few candidates.
 * Kubernetes semantics: `!=` and `notin` also match objects without the key.
 */
export function compileSelector(
  requirements: readonly SelectorRequirement[],
  index: LabelIndex,
): SqlFragment {
  const parts: string[] = [];
  const bindings: Binding[] = [];
  const { table, uidColumn, outer } = index;
  const rank = (r: SelectorRequirement) =>
    (({ '=': 0, '==': 0, in: 1, exists: 2 } as Record<string, number>)[
      r.operator
    ] ?? 3);
  const driver = requirements.reduce<SelectorRequirement | undefined>(
    (best, r) => (rank(r) < 3 && (!best || rank(r) < rank(best)) ? r : best),
    undefined,
  );
  /** cond is written against `key`/`value`; probes qualify them with the `sl` alias */
  const positive = (req: SelectorRequirement, cond: string) =>
    req === driver
      ? `(${outer}.cluster, ${outer}.uid) IN (SELECT cluster, ${uidColumn} FROM ${table} WHERE ${cond})`
      : `EXISTS (SELECT 1 FROM ${table} sl WHERE sl.cluster = ${outer}.cluster AND sl.${uidColumn} = ${outer}.uid AND ${cond.replace(
          /\b(key|value)\b/g,
          'sl.$1',
        )})`;
  const negative = (cond: string) =>
    `NOT EXISTS (SELECT 1 FROM ${table} sl WHERE sl.cluster = ${outer}.cluster AND sl.${uidColumn} = ${outer}.uid AND ${cond})`;

  for (const req of requirements) {
    const values = req.values ?? [];
    switch (req.operator) {
      case '=':
      case '==':
        if (values.length !== 1) {
          throw new Error(`selector ${req.key}${req.operator} needs one value`);
        }
        parts.push(positive(req, 'key = ? AND value = ?'));
        bindings.push(req.key, values[0]);
        break;
      case 'in':
        if (values.length === 0) {
          parts.push('1 = 0');
          break;
        }
        parts.push(
          positive(
            req,
            `key = ? AND value IN (${placeholders(values.length)})`,
          ),
        );
        bindings.push(req.key, ...values);
        break;
      case 'exists':
        parts.push(positive(req, 'key = ?'));
        bindings.push(req.key);
        break;
      case '!=':
        if (values.length !== 1) {
          throw new Error(`selector ${req.key}!= needs one value`);
        }
        parts.push(negative('sl.key = ? AND sl.value = ?'));
        bindings.push(req.key, values[0]);
        break;
      case 'notin':
        if (values.length === 0) {
          break;
        }
        parts.push(
          negative(
            `sl.key = ? AND sl.value IN (${placeholders(values.length)})`,
          ),
        );
        bindings.push(req.key, ...values);
        break;
      case '!':
        parts.push(negative('sl.key = ?'));
        bindings.push(req.key);
        break;
      default:
        throw new Error(
          `unsupported selector operator ${String(
            (req as SelectorRequirement).operator,
          )}`,
        );
    }
  }
  return { sql: parts.length ? parts.join(' AND ') : '1 = 1', bindings };
}

const OPERATORS: Record<
  LabelRequirement['operator'],
  SelectorRequirement['operator']
> = {
  equals: '=',
  notEquals: '!=',
  in: 'in',
  notIn: 'notin',
  exists: 'exists',
  doesNotExist: '!',
};

/** One requirement of the common package's parser, in the store's shape. */
export function toSelectorRequirement(
  r: LabelRequirement,
): SelectorRequirement {
  const operator = OPERATORS[r.operator];
  if ('value' in r) return { key: r.key, operator, values: [r.value] };
  if ('values' in r) return { key: r.key, operator, values: r.values };
  return { key: r.key, operator };
}

/**
 * Parses a Kubernetes label selector string (`a=b,c!=d,e in (f,g),h notin (i),j,!k`) with the
 * common package's parser, into the store's requirement shape. Throws on malformed input.
 */
export function parseLabelSelector(selector: string): SelectorRequirement[] {
  return parseSelectorString(selector).map(toSelectorRequirement);
}
