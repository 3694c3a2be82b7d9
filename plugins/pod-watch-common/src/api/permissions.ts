import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Resource type of the entity-scoped permissions: the catalog's own, so a policy can use the
 * catalog's conditions (e.g. `IS_ENTITY_OWNER`) to restrict Pod Watch data to an entity's owners.
 *
 * @public
 */
export const POD_WATCH_ENTITY_RESOURCE_TYPE = 'catalog-entity';

/**
 * Read an entity's pods, pod detail, Events and owner chain.
 *
 * @public
 */
export const podWatchPodsReadPermission = createPermission({
  name: 'podwatch.pods.read',
  attributes: { action: 'read' },
  resourceType: POD_WATCH_ENTITY_RESOURCE_TYPE,
});

/**
 * Read (and download) an entity's captured container logs.
 *
 * @public
 */
export const podWatchLogsReadPermission = createPermission({
  name: 'podwatch.logs.read',
  attributes: { action: 'read' },
  resourceType: POD_WATCH_ENTITY_RESOURCE_TYPE,
});

/**
 * Read an entity's incidents and their evidence.
 *
 * @public
 */
export const podWatchIncidentsReadPermission = createPermission({
  name: 'podwatch.incidents.read',
  attributes: { action: 'read' },
  resourceType: POD_WATCH_ENTITY_RESOURCE_TYPE,
});

/**
 * Read cluster-wide Event and object history (not scoped to an entity).
 *
 * @public
 */
export const podWatchHistoryReadPermission = createPermission({
  name: 'podwatch.history.read',
  attributes: { action: 'read' },
});

/**
 * Read the cluster overview: clusters, sync status and counts.
 *
 * @public
 */
export const podWatchClustersReadPermission = createPermission({
  name: 'podwatch.clusters.read',
  attributes: { action: 'read' },
});

/**
 * Run a live connection test against a cluster (the only route that talks to a cluster).
 *
 * @public
 */
export const podWatchClustersTestPermission = createPermission({
  name: 'podwatch.clusters.test',
  attributes: {},
});

/**
 * Every Pod Watch permission, for registration with the permission framework.
 *
 * @public
 */
export const podWatchPermissions = [
  podWatchPodsReadPermission,
  podWatchLogsReadPermission,
  podWatchIncidentsReadPermission,
  podWatchHistoryReadPermission,
  podWatchClustersReadPermission,
  podWatchClustersTestPermission,
];
