/**
 * Paths of the Pod Watch entity tabs, relative to the entity page. The frontend mounts its tabs
 * here and the search collator links to them.
 *
 * @public
 */
export const POD_WATCH_ENTITY_TABS = {
  pods: 'pod-watch',
  logs: 'pod-watch-logs',
  incidents: 'pod-watch-incidents',
} as const;

/**
 * The app-relative URL of an entity's Pod Watch tab (Backstage's default catalog entity route,
 * `/catalog/:namespace/:kind/:name`), optionally with query parameters such as `incident`.
 *
 * @public
 */
export function podWatchEntityTabUrl(
  entity: { kind: string; namespace?: string; name: string },
  tab: keyof typeof POD_WATCH_ENTITY_TABS,
  query: Record<string, string | number | undefined> = {},
): string {
  const path = [
    'catalog',
    (entity.namespace ?? 'default').toLocaleLowerCase('en-US'),
    entity.kind.toLocaleLowerCase('en-US'),
    entity.name,
    POD_WATCH_ENTITY_TABS[tab],
  ]
    .map(encodeURIComponent)
    .join('/');
  const params = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(
      ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`,
    );
  return `/${path}${params.length ? `?${params.join('&')}` : ''}`;
}
