/**
 * The measured process: the latency section's bench backend (Backstage's Kubernetes plugin and
 * Pod Watch as an adopter runs them, Pod Watch wired by its own init under the real scheduler),
 * watching the simulator given in POD_WATCH_BENCH_CLUSTER and writing to the database given in
 * POD_WATCH_BENCH_DB (a knex config). Nothing queries it: only Pod Watch's collection works.
 * Reports its memory on request.
 */
import knexFactory from 'knex';
import {
  BenchBackend,
  CLUSTER,
  startBenchBackend,
} from '../latency/benchBackend';
import { serve } from './child';
import { sampleMemory } from './sample';

/** the simulator to watch, as a `kubernetes` config cluster */
export interface BenchCluster {
  url: string;
  token: string;
  /** base64 PEM */
  caData: string;
}

async function main() {
  const cluster: BenchCluster = JSON.parse(
    process.env.POD_WATCH_BENCH_CLUSTER!,
  );
  const knex = knexFactory(JSON.parse(process.env.POD_WATCH_BENCH_DB!));
  let backend: BenchBackend | undefined;
  serve({
    sample: () => sampleMemory(),
    start: async () => {
      backend = await startBenchBackend({
        // the simulator's process belongs to the section, which stops it
        sim: cluster,
        knex,
        entities: [],
      });
      return { cluster: CLUSTER };
    },
  });
  process.on('SIGTERM', async () => {
    await backend?.stop().catch(() => undefined);
    process.exit(0);
  });
}

main().catch(e => {
  process.stderr.write(`backend process: ${e?.stack ?? e}\n`);
  process.exit(1);
});
