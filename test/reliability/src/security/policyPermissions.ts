/**
 * A PermissionsService that decides with a real PermissionPolicy and applies its conditional
 * decisions to catalog entities with the catalog's own permission rules (IS_ENTITY_OWNER …),
 * in process: what the permission backend and the catalog's apply-conditions endpoint do over
 * HTTP. Service principals are allowed, as with Backstage's permission service.
 */
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PermissionPolicy,
} from '@backstage/plugin-permission-node';

export function policyPermissions(
  policy: PermissionPolicy,
  entities: Entity[],
): PermissionsService {
  const applies = createConditionAuthorizer(Object.values(permissionRules));
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  const decide = async (
    permission: any,
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision> => {
    const principal = credentials.principal as any;
    if (principal.type === 'service') return { result: AuthorizeResult.ALLOW };
    if (principal.type !== 'user') return { result: AuthorizeResult.DENY };
    return policy.handle({ permission }, {
      credentials,
      info: {
        userEntityRef: principal.userEntityRef,
        ownershipEntityRefs: [principal.userEntityRef],
      },
    } as any);
  };
  return {
    async authorize(requests, { credentials }) {
      return Promise.all(
        requests.map(async r => {
          const decision = await decide(r.permission, credentials);
          if (decision.result !== AuthorizeResult.CONDITIONAL) {
            return { result: decision.result };
          }
          const entity =
            'resourceRef' in r && r.resourceRef
              ? byRef.get(r.resourceRef as string)
              : undefined;
          return {
            result:
              entity && applies(decision, entity)
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          };
        }),
      );
    },
    async authorizeConditional(requests, { credentials }) {
      return Promise.all(
        requests.map(r => decide(r.permission, credentials) as any),
      );
    },
  };
}
