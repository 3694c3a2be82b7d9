import { ApiError } from './status';

/** A rule that makes matching requests fail with 403 Forbidden (exercises RBAC errors). */
export interface ForbidRule {
  /** Verbs (get, list, watch, create, update, patch, delete); all when omitted. */
  verbs?: string[];
  /** Resources as `plural` or `plural/subresource` (e.g. `pods/log`); all when omitted. */
  resources?: string[];
  /** API group ('' for core); any when omitted. */
  group?: string;
  /** Namespace; any when omitted. */
  namespace?: string;
}

export interface RequestAttributes {
  verb: string;
  group: string;
  resource: string; // plural
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** Bearer-token authentication and rule-based denial for one simulated user. */
export class Authorizer {
  private rules: ForbidRule[] = [];

  constructor(
    readonly token: string,
    readonly userName = 'system:serviceaccount:kube-sim:pod-watch',
  ) {}

  authenticate(header: string | undefined): void {
    const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
    if (!m || m[1].trim() !== this.token) {
      throw new ApiError(401, 'Unauthorized', 'Unauthorized');
    }
  }

  forbid(rule: ForbidRule): () => void {
    this.rules.push(rule);
    return () => {
      this.rules = this.rules.filter(r => r !== rule);
    };
  }

  clear() {
    this.rules = [];
  }

  authorize(a: RequestAttributes): void {
    const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    const denied = this.rules.some(
      r =>
        (!r.verbs || r.verbs.includes(a.verb)) &&
        (!r.resources ||
          r.resources.includes(res) ||
          r.resources.includes('*')) &&
        (r.group === undefined || r.group === a.group) &&
        (!r.namespace || r.namespace === a.namespace),
    );
    if (!denied) return;
    const scope = a.namespace
      ? `in the namespace "${a.namespace}"`
      : 'at the cluster scope';
    const what = a.name
      ? `${a.resource}${a.group ? `.${a.group}` : ''} "${a.name}"`
      : `${a.resource}${a.group ? `.${a.group}` : ''}`;
    throw new ApiError(
      403,
      'Forbidden',
      `${what} is forbidden: User "${this.userName}" cannot ${a.verb} resource "${res}" in API group "${a.group}" ${scope}`,
      { name: a.name, group: a.group, kind: a.resource },
    );
  }
}
