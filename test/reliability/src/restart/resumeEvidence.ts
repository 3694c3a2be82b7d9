/**
 * What a restarted backend asked the API server for, per watched kind: did its first request
 * resume the watch from the resourceVersion the dead process stored, or did it list again?
 */
import {
  BUILTIN_WATCHED_KINDS,
  collectionPath,
} from '@pod-watch/plugin-pod-watch-backend/src/watch/kinds';
import type { Knex } from 'knex';
import type { ProxiedRequest } from './apiServerProxy';

export interface KindResume {
  kind: string;
  storedRv?: string;
  /** the first request for the kind's collection after the restart */
  first?: { watch: boolean; resourceVersion?: string };
  /** full LISTs of the collection after the restart */
  lists: number;
}

/** The resourceVersion each kind stored (read after the kill: nothing writes any more). */
export async function storedResourceVersions(
  knex: Knex,
  cluster: string,
): Promise<Record<string, string | undefined>> {
  const rows = await knex('sync_state').where({ cluster });
  return Object.fromEntries(
    rows.map((r: any) => [r.kind, r.resource_version ?? undefined]),
  );
}

export function resumeEvidence(
  requests: readonly ProxiedRequest[],
  since: number,
  stored: Record<string, string | undefined>,
): KindResume[] {
  return Object.entries(stored).map(([kind, storedRv]) => {
    const watched = BUILTIN_WATCHED_KINDS[kind];
    const path = watched ? collectionPath(watched) : undefined;
    const mine = requests.filter(r => r.at >= since && r.path === path);
    const first = mine[0];
    return {
      kind,
      storedRv,
      first: first && {
        watch: first.watch,
        resourceVersion: first.query.get('resourceVersion') ?? undefined,
      },
      lists: mine.filter(r => !r.watch).length,
    };
  });
}

/** Whether the restart resumed every kind from its stored resourceVersion without a LIST. */
export function resumedFromStore(k: KindResume): boolean {
  return Boolean(
    k.storedRv &&
      k.first?.watch &&
      k.first.resourceVersion === k.storedRv &&
      k.lists === 0,
  );
}
