/**
 * EXAMPLE permission policy: Pod Watch's entity-scoped permissions (pods, logs, incidents of an
 * entity) only for the entity's owners, the documented Backstage pattern with the catalog's
 * IS_ENTITY_OWNER condition. Cluster-wide history and cluster views stay with admins; anything
 * else is allowed. Install it with `policyExtensionPoint.setPolicy(new PodWatchOwnerPolicy())`.
 */
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  podWatchPermissions,
  POD_WATCH_ENTITY_RESOURCE_TYPE,
} from '@pod-watch/plugin-pod-watch-common';

const POD_WATCH = new Set(podWatchPermissions.map(p => p.name));

export class PodWatchOwnerPolicy implements PermissionPolicy {
  constructor(
    private readonly admins: readonly string[] = ['group:default/admins'],
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!POD_WATCH.has(request.permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (
      isResourcePermission(request.permission, POD_WATCH_ENTITY_RESOURCE_TYPE)
    ) {
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    return claims.some(c => this.admins.includes(c))
      ? { result: AuthorizeResult.ALLOW }
      : { result: AuthorizeResult.DENY };
  }
}
