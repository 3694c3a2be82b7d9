/**
 * Runs one benchmark section as its own process (so each measures memory and CPU without the
 * others' leftovers) and hands its items to `run.ts` through the file named by POD_WATCH_BENCH_OUT.
 * A section can also be run alone: `tsx src/sections/ingestion.ts --quick` prints its items.
 */
import fs from 'node:fs';
import { BenchContext, contextFromEnv } from './context';
import { BenchItem } from './report';

export function runSection(
  name: string,
  measure: (ctx: BenchContext) => Promise<BenchItem[]>,
): void {
  const ctx = contextFromEnv();
  const started = Date.now();
  ctx.log(
    `[${name}] ${ctx.quick ? 'quick' : 'full'} run on ${ctx.engines.join(
      ', ',
    )}`,
  );
  measure(ctx).then(
    items => {
      ctx.log(
        `[${name}] done in ${Math.round((Date.now() - started) / 1000)} s`,
      );
      const json = JSON.stringify(items, null, 2);
      if (process.env.POD_WATCH_BENCH_OUT) {
        fs.writeFileSync(process.env.POD_WATCH_BENCH_OUT, json);
      } else {
        process.stdout.write(`${json}\n`);
      }
      // open handles (pools, timers of libraries) must not keep a finished section alive
      process.exit(0);
    },
    error => {
      process.stderr.write(`[${name}] failed: ${error?.stack ?? error}\n`);
      process.exit(1);
    },
  );
}
