/**
 * The closing verdict of a section that stops and starts watchers under churn: once churn has
 * stopped, wait for the store to catch up with the simulator's ledger, then check that nothing
 * was lost or duplicated and that no history entry is only excused by an observation gap
 * (resuming from the stored resourceVersion replays what happened while nobody watched).
 */
import type { KubeSim } from '@pod-watch/kube-sim';
import { waitFor } from '@pod-watch/plugin-pod-watch-backend/src/watch/__testUtils__/harness';
import type { Knex } from 'knex';
import { compareWithLedger, LedgerComparison } from '../lib/ledgerCompare';
import type { Checks } from '../lib/result';

export async function checkLedgerSettled(o: {
  checks: Checks;
  sim: KubeSim;
  knex: Knex;
  cluster: string;
  sinceWallMs: number;
  /** names of the two checks */
  names: { nothingLost: string; historyComplete: string };
  timeoutMs?: number;
}): Promise<LedgerComparison> {
  const compare = () =>
    compareWithLedger({
      sim: o.sim,
      knex: o.knex,
      cluster: o.cluster,
      sinceWallMs: o.sinceWallMs,
    });
  const comparison = await waitFor(
    async () => {
      const c = await compare();
      return c.lost === 0 && c.duplicates === 0 && c;
    },
    o.timeoutMs ?? 30_000,
    'the store matching the ledger',
  ).catch(compare);
  const { details } = comparison;
  o.checks.expect(
    o.names.nothingLost,
    comparison.lost === 0 && comparison.duplicates === 0,
    `lost ${comparison.lost}, duplicates ${
      comparison.duplicates
    }, checked ${JSON.stringify(details.checked)}${
      details.examples.length ? `; ${details.examples.join('; ')}` : ''
    }`,
  );
  o.checks.expect(
    o.names.historyComplete,
    details.excusedByGaps === 0,
    `${details.excusedByGaps} history entries only excused by a gap`,
  );
  return comparison;
}
