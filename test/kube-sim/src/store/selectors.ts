import { KubeObject } from '../types';
import { ResourceType } from '../resources/registry';

/** Thrown for malformed selectors; the server turns it into a 400 BadRequest Status. */
export class SelectorError extends Error {}

type LabelReq =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

export type Matcher = (o: KubeObject) => boolean;

const KEY =
  /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;

/** Splits on commas that are not inside `( … )` (set-based requirements). */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map(t => t.trim()).filter(Boolean);
}

function checkKey(key: string, term: string) {
  if (!KEY.test(key)) {
    throw new SelectorError(
      `unable to parse requirement: invalid label key "${key}" in "${term}"`,
    );
  }
}

const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkValue(v: string, term: string) {
  if (!VALUE.test(v) || v.length > 63) {
    throw new SelectorError(
      `unable to parse requirement: invalid label value: "${v}" in "${term}"`,
    );
  }
}

export function parseLabelSelector(
  selector: string | undefined | null,
): LabelReq[] {
  if (!selector) return [];
  return splitTerms(selector).map(term => {
    let m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(term);
    if (m) {
      checkKey(m[1], term);
      const values = m[3]
        .split(',')
        .map(v => v.trim())
        .filter(v => v !== '');
      values.forEach(v => checkValue(v, term));
      return { op: m[2] as 'in' | 'notin', key: m[1], values };
    }
    m = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (m) {
      checkKey(m[1], term);
      checkValue(m[3], term);
      return { op: m[2] === '!=' ? 'neq' : 'eq', key: m[1], value: m[3] };
    }
    m = /^!\s*(\S+)$/.exec(term);
    if (m) {
      checkKey(m[1], term);
      return { op: 'notexists', key: m[1] };
    }
    if (/^\S+$/.test(term)) {
      checkKey(term, term);
      return { op: 'exists', key: term };
    }
    throw new SelectorError(
      `unable to parse requirement: found '${term}', expected: identifier`,
    );
  });
}

export function labelMatcher(selector: string | undefined | null): Matcher {
  const reqs = parseLabelSelector(selector);
  if (reqs.length === 0) return () => true;
  return o => {
    const labels = o.metadata?.labels ?? {};
    return reqs.every(r => {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      const v = labels[r.key];
      switch (r.op) {
        case 'eq':
          return has && v === r.value;
        case 'neq':
          return !has || v !== r.value;
        case 'in':
          return has && r.values.includes(v);
        case 'notin':
          return !has || !r.values.includes(v);
        case 'exists':
          return has;
        case 'notexists':
          return !has;
        default:
          return false;
      }
    });
  };
}

function getPath(o: any, path: string): string {
  let cur = o;
  for (const p of path.split('.')) {
    if (cur === null || cur === undefined) return '';
    cur = cur[p];
  }
  if (cur === null || cur === undefined) return '';
  return String(cur);
}

/**
 * Field selectors support only the labels the real server registers for a kind;
 * anything else is a 400 "field label not supported", as kube-apiserver answers.
 */
export function fieldMatcher(
  selector: string | undefined | null,
  type: ResourceType,
  view: (o: KubeObject) => KubeObject = o => o,
): Matcher {
  if (!selector) return () => true;
  const labels: Record<string, string> = {
    'metadata.name': 'metadata.name',
    'metadata.namespace': 'metadata.namespace',
    ...(type.fieldLabels ?? {}),
  };
  const reqs = selector
    .split(',')
    .map(t => t.trim())
    .filter(Boolean)
    .map(term => {
      const m = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
      if (!m)
        throw new SelectorError(
          `invalid selector: '${selector}'; can't understand '${term}'`,
        );
      const path = labels[m[1]];
      if (!path) {
        throw new SelectorError(`field label not supported: ${m[1]}`);
      }
      return { path, neq: m[2] === '!=', value: m[3] };
    });
  return o => {
    const v = view(o);
    return reqs.every(r => (getPath(v, r.path) === r.value) !== r.neq);
  };
}
