/** What every reliability section gets: the run mode and a PostgreSQL server to use. */
export interface ReliabilityContext {
  quick: boolean;
  /** admin connection string of a PostgreSQL server; sections create and drop scratch databases */
  pgUrl: string;
  log(message: string): void;
}

export function contextFromEnv(): ReliabilityContext {
  return {
    quick:
      process.argv.includes('--quick') ||
      process.env.POD_WATCH_RELIABILITY_QUICK === '1',
    pgUrl:
      process.env.POD_WATCH_RELIABILITY_PG ??
      process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
      'postgresql://postgres:postgres@127.0.0.1:5433',
    log: message => process.stderr.write(`  ${message}\n`),
  };
}
