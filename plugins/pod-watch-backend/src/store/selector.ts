import { Binding, placeholders } from './batching';
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

/**
 * Parses a Kubernetes label selector string (`a=b,c!=d,e in (f,g),h notin (i),j,!k`), as found in
 * the `backstage.io/kubernetes-label-selector` annotation. Throws on malformed input.
 */
export function parseLabelSelector(selector: string): SelectorRequirement[] {
  const out: SelectorRequirement[] = [];
  // split on commas that are not inside parentheses
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  terms.push(current);
  for (const raw of terms) {
    const term = raw.trim();
    if (!term) {
      continue;
    }
    let m = /^!\s*([^\s=!(),]+)$/.exec(term);
    if (m) {
      out.push({ key: m[1], operator: '!' });
      continue;
    }
    m = /^([^\s=!(),]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(term);
    if (m) {
      const values = m[3]
        .split(',')
        .map(v => v.trim())
        .filter(v => v !== '');
      out.push({ key: m[1], operator: m[2] as 'in' | 'notin', values });
      continue;
    }
    m = /^([^\s=!(),]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(term);
    if (m) {
      out.push({
        key: m[1],
        operator: m[2] === '!=' ? '!=' : '=',
        values: [m[3]],
      });
      continue;
    }
    m = /^([^\s=!(),]+)$/.exec(term);
    if (m) {
      out.push({ key: m[1], operator: 'exists' });
      continue;
    }
    throw new Error(`invalid label selector term: ${term}`);
  }
  return out;
}

/** The standard Backstage Kubernetes annotations the entity → pods mapping reads. */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';

/**
 * The selector and namespace filter of an entity, as Backstage's Kubernetes plugin reads them:
 * the label-selector annotation wins over kubernetes-id (which matches the pod label
 * `backstage.io/kubernetes-id=<id>`). Undefined when the entity has neither: callers must not
 * run an empty selector (it matches every pod).
 */
export function selectorFromAnnotations(
  annotations: Record<string, string> | undefined,
): { selector: SelectorRequirement[]; namespaces?: string[] } | undefined {
  const labelSelector = annotations?.[KUBERNETES_LABEL_SELECTOR_ANNOTATION];
  const id = annotations?.[KUBERNETES_ID_ANNOTATION];
  const namespace = annotations?.[KUBERNETES_NAMESPACE_ANNOTATION];
  let selector: SelectorRequirement[] | undefined;
  if (labelSelector?.trim()) {
    selector = parseLabelSelector(labelSelector);
  } else if (id?.trim()) {
    selector = [
      { key: KUBERNETES_ID_ANNOTATION, operator: '=', values: [id.trim()] },
    ];
  }
  if (!selector || selector.length === 0) {
    return undefined;
  }
  return namespace?.trim()
    ? { selector, namespaces: [namespace.trim()] }
    : { selector };
}
