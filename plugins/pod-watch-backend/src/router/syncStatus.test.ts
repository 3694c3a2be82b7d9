import type { SyncStatusRow } from '../store';
import { clusterSyncStatus, clusterSyncStatuses } from './syncStatus';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

const row = (o: Partial<SyncStatusRow>): SyncStatusRow => ({
  cluster: 'prod',
  kind: 'pods',
  connected: false,
  updatedAt: ago(0),
  ...o,
});

describe('clusterSyncStatus', () => {
  it('trusts a connected watch however quiet, with its processing lag', () => {
    const s = clusterSyncStatus(
      'prod',
      undefined,
      [row({ connected: true, lastSuccessAt: ago(3600), lagMs: 1500 })],
      NOW,
    );
    expect(s).toMatchObject({ status: 'ok', lagSeconds: 2 });
    expect(s.kinds[0]).toMatchObject({ status: 'ok', connected: true });
  });

  it('ages a disconnected kind by its last success', () => {
    const kinds = clusterSyncStatus(
      'prod',
      undefined,
      [
        row({ kind: 'pods', lastSuccessAt: ago(30) }),
        row({ kind: 'events', lastSuccessAt: ago(3600) }),
        row({ kind: 'jobs' }),
      ],
      NOW,
    );
    expect(kinds.kinds.map(k => [k.kind, k.status, k.lagSeconds])).toEqual([
      ['pods', 'ok', 30],
      ['events', 'stale', 3600],
      ['jobs', 'unknown', undefined],
    ]);
    expect(kinds).toMatchObject({ status: 'stale', lagSeconds: 3600 });
  });

  it('reports the newest error when it is newer than the success', () => {
    const s = clusterSyncStatus(
      'prod',
      { name: 'prod', createdAt: ago(9999), lastSeenAt: ago(5) },
      [
        row({
          kind: 'pods',
          lastSuccessAt: ago(10),
          lastError: 'old',
          lastErrorAt: ago(20),
        }),
        row({
          kind: 'events',
          lastSuccessAt: ago(100),
          lastError: '403 Forbidden',
          lastErrorAt: ago(50),
        }),
      ],
      NOW,
    );
    expect(s).toMatchObject({
      status: 'error',
      lastSeenAt: ago(5),
      lastError: '403 Forbidden',
      lastErrorAt: ago(50),
    });
    expect(s.kinds[0].lastError).toBeUndefined();
  });

  it('lists known clusters, or only the asked-for ones', () => {
    const clusters = [{ name: 'a', createdAt: ago(1) }];
    const states = [row({ cluster: 'b', lastSuccessAt: ago(1) })];
    expect(
      clusterSyncStatuses(clusters, states, undefined, NOW).map(c => [
        c.cluster,
        c.status,
      ]),
    ).toEqual([
      ['a', 'unknown'],
      ['b', 'ok'],
    ]);
    expect(
      clusterSyncStatuses(clusters, states, ['b'], NOW).map(c => c.cluster),
    ).toEqual(['b']);
  });
});
