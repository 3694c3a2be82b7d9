/** What every benchmark section gets: the run mode, the engines and a PostgreSQL to use. */
import type { EngineName } from '@pod-watch/plugin-pod-watch-backend/src/__testUtils__/scratchDatabase';

export type { EngineName };

export interface BenchContext {
  quick: boolean;
  engines: EngineName[];
  /** admin connection string of a PostgreSQL server; sections create and drop scratch databases */
  pgUrl: string;
  log(message: string): void;
}

export function contextFromEnv(): BenchContext {
  const quick =
    process.argv.includes('--quick') ||
    process.env.POD_WATCH_BENCH_QUICK === '1';
  const engines = (process.env.POD_WATCH_BENCH_ENGINES ?? 'sqlite,pg')
    .split(',')
    .filter(Boolean) as EngineName[];
  return {
    quick,
    engines,
    pgUrl:
      process.env.POD_WATCH_BENCH_PG ??
      process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
      'postgresql://postgres:postgres@127.0.0.1:5433',
    // stderr: stdout of a section is its JSON result
    log: message => process.stderr.write(`  ${message}\n`),
  };
}
