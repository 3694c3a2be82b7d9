import type { V1LabelSelector } from '@kubernetes/client-node';

/**
 * One requirement of a label selector (Kubernetes `labels.Requirement`).
 *
 * @public
 */
export type LabelRequirement =
  | { key: string; operator: 'equals' | 'notEquals'; value: string }
  | { key: string; operator: 'in' | 'notIn'; values: string[] }
  | { key: string; operator: 'exists' | 'doesNotExist' };

/**
 * Error thrown for a selector string Kubernetes would reject.
 *
 * @public
 */
export class LabelSelectorSyntaxError extends Error {
  constructor(message: string, readonly selector: string) {
    super(`${message} in label selector "${selector}"`);
    this.name = 'LabelSelectorSyntaxError';
  }
}

// Label keys: optional DNS-subdomain prefix + '/' + name; values: up to 63 chars of [A-Za-z0-9_.-]
const KEY =
  /^(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

type Token =
  | { t: 'id'; v: string }
  | { t: 'op'; v: '=' | '==' | '!=' | '!' | '(' | ')' | ',' }
  | { t: 'end' };

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch === ' ' || ch === '\t' || ch === '\n') {
      i++;
    } else if (ch === '=' && input[i + 1] === '=') {
      out.push({ t: 'op', v: '==' });
      i += 2;
    } else if (ch === '!' && input[i + 1] === '=') {
      out.push({ t: 'op', v: '!=' });
      i += 2;
    } else if (
      ch === '=' ||
      ch === '!' ||
      ch === '(' ||
      ch === ')' ||
      ch === ','
    ) {
      out.push({ t: 'op', v: ch });
      i++;
    } else {
      let j = i;
      while (j < input.length && !' \t\n=!(),'.includes(input[j])) j++;
      out.push({ t: 'id', v: input.slice(i, j) });
      i = j;
    }
  }
  out.push({ t: 'end' });
  return out;
}

/**
 * Parses a selector in Kubernetes' string syntax, as used in the
 * `backstage.io/kubernetes-label-selector` annotation: `a=b`, `a==b`, `a!=b`,
 * `a in (x,y)`, `a notin (x,y)`, `a` (exists) and `!a` (does not exist), comma-separated.
 * An empty string selects everything.
 *
 * @public
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const tokens = tokenize(selector);
  const reqs: LabelRequirement[] = [];
  let p = 0;
  const fail = (msg: string): never => {
    throw new LabelSelectorSyntaxError(msg, selector);
  };
  const key = (v: string) =>
    KEY.test(v) ? v : fail(`invalid label key "${v}"`);
  const value = (v: string) =>
    VALUE.test(v) ? v : fail(`invalid label value "${v}"`);
  if (tokens.length === 1) return reqs;
  for (;;) {
    let tok = tokens[p++];
    if (tok.t === 'op' && tok.v === '!') {
      tok = tokens[p++];
      if (tok.t !== 'id') fail('expected a key after "!"');
      reqs.push({
        key: key((tok as { v: string }).v),
        operator: 'doesNotExist',
      });
    } else if (tok.t === 'id') {
      const k = key(tok.v);
      const next = tokens[p];
      if (next.t === 'end' || (next.t === 'op' && next.v === ',')) {
        reqs.push({ key: k, operator: 'exists' });
      } else if (
        next.t === 'op' &&
        (next.v === '=' || next.v === '==' || next.v === '!=')
      ) {
        p++;
        const val = tokens[p];
        let v = '';
        // an empty value is allowed: "a=" selects a label whose value is ""
        if (val.t === 'id') {
          v = value(val.v);
          p++;
        }
        reqs.push({
          key: k,
          operator: next.v === '!=' ? 'notEquals' : 'equals',
          value: v,
        });
      } else if (next.t === 'id' && (next.v === 'in' || next.v === 'notin')) {
        p++;
        const open = tokens[p++];
        if (!(open.t === 'op' && open.v === '('))
          fail(`expected "(" after ${next.v}`);
        const values: string[] = [];
        for (;;) {
          const v = tokens[p++];
          if (v.t === 'id') {
            values.push(value(v.v));
          } else if (v.t === 'op' && v.v === ')' && values.length === 0) {
            break;
          } else if (v.t === 'op' && v.v === ',') {
            values.push('');
            continue;
          } else {
            fail('expected a value');
          }
          const sep = tokens[p++];
          if (sep.t === 'op' && sep.v === ')') break;
          if (!(sep.t === 'op' && sep.v === ',')) fail('expected "," or ")"');
        }
        if (values.length === 0) fail(`${next.v} needs at least one value`);
        reqs.push({
          key: k,
          operator: next.v === 'in' ? 'in' : 'notIn',
          values,
        });
      } else {
        fail(`unexpected token after key "${k}"`);
      }
    } else {
      fail('expected a key');
    }
    const sep = tokens[p++];
    if (sep.t === 'end') break;
    if (!(sep.t === 'op' && sep.v === ',')) fail('expected ","');
  }
  return reqs;
}

/**
 * Converts a Kubernetes `LabelSelector` object (matchLabels + matchExpressions) to requirements.
 *
 * @public
 */
export function labelSelectorFromObject(
  selector: V1LabelSelector,
): LabelRequirement[] {
  const reqs: LabelRequirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    reqs.push({ key, operator: 'equals', value });
  }
  for (const e of selector.matchExpressions ?? []) {
    switch (e.operator) {
      case 'In':
        reqs.push({ key: e.key, operator: 'in', values: e.values ?? [] });
        break;
      case 'NotIn':
        reqs.push({ key: e.key, operator: 'notIn', values: e.values ?? [] });
        break;
      case 'Exists':
        reqs.push({ key: e.key, operator: 'exists' });
        break;
      case 'DoesNotExist':
        reqs.push({ key: e.key, operator: 'doesNotExist' });
        break;
      default:
        throw new LabelSelectorSyntaxError(
          `unknown operator "${e.operator}"`,
          JSON.stringify(selector),
        );
    }
  }
  return reqs;
}

/**
 * Whether labels satisfy every requirement (Kubernetes semantics: `!=` and `notin` also match
 * objects without the key).
 *
 * @public
 */
export function matchesLabelSelector(
  selector: string | readonly LabelRequirement[],
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const reqs =
    typeof selector === 'string' ? parseLabelSelector(selector) : selector;
  const l = labels ?? {};
  for (const r of reqs) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = has ? l[r.key] : undefined;
    switch (r.operator) {
      case 'equals':
        if (!has || v !== r.value) return false;
        break;
      case 'notEquals':
        if (has && v === r.value) return false;
        break;
      case 'in':
        if (!has || !r.values.includes(v!)) return false;
        break;
      case 'notIn':
        if (has && r.values.includes(v!)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case 'doesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * Formats requirements back to the string syntax (values of set operators sorted, as kubectl does).
 *
 * @public
 */
export function formatLabelSelector(reqs: readonly LabelRequirement[]): string {
  return reqs
    .map(r => {
      switch (r.operator) {
        case 'equals':
          return `${r.key}=${r.value}`;
        case 'notEquals':
          return `${r.key}!=${r.value}`;
        case 'in':
          return `${r.key} in (${[...r.values].sort().join(',')})`;
        case 'notIn':
          return `${r.key} notin (${[...r.values].sort().join(',')})`;
        case 'exists':
          return r.key;
        default:
          return `!${r.key}`;
      }
    })
    .join(',');
}
