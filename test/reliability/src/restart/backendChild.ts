/**
 * Child-process entry of the restart and replicas sections: one Pod Watch backend on the database and cluster
 * given in POD_WATCH_BACKEND (JSON: `{ database: Knex.Config, config }`). Prints `ready` once
 * started and runs until it is killed: SIGKILL, or SIGTERM, on which Backstage stops the backend
 * (shutdown hooks: Pod Watch releases its leases) and exits.
 */
import knexFactory from 'knex';
import { startPodWatchBackend } from './podWatchBackend';

async function main() {
  const { database, config } = JSON.parse(process.env.POD_WATCH_BACKEND!);
  await startPodWatchBackend({ knex: knexFactory(database), config });
  process.stdout.write('ready\n');
}

main().catch(e => {
  process.stderr.write(`backend child failed: ${e?.stack ?? e}\n`);
  process.exit(1);
});
