import { podWatchEntityTabUrl, podWatchPermissions } from './index';

describe('podWatchEntityTabUrl', () => {
  it('builds the default catalog entity route with the tab and query', () => {
    expect(
      podWatchEntityTabUrl(
        { kind: 'Component', namespace: 'Default', name: 'checkout' },
        'incidents',
        { incident: 42, skipped: undefined },
      ),
    ).toBe(
      '/catalog/default/component/checkout/pod-watch-incidents?incident=42',
    );
    expect(podWatchEntityTabUrl({ kind: 'API', name: 'a b' }, 'logs')).toBe(
      '/catalog/default/api/a%20b/pod-watch-logs',
    );
  });
});

describe('podWatchPermissions', () => {
  it('are unique, and entity-scoped ones use the catalog resource type', () => {
    const names = podWatchPermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(
      podWatchPermissions
        .filter(p => p.type === 'resource')
        .map(p => [p.name, (p as { resourceType: string }).resourceType]),
    ).toEqual([
      ['podwatch.pods.read', 'catalog-entity'],
      ['podwatch.logs.read', 'catalog-entity'],
      ['podwatch.incidents.read', 'catalog-entity'],
    ]);
  });
});
