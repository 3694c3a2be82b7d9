/**
 * Runs one reliability section as its own process (a crash, a leak or a stuck handle stays in
 * it) and hands its result to `run.ts` through the file named by POD_WATCH_RELIABILITY_OUT.
 * Alone: `tsx src/sections/chaos.ts --quick` prints its result.
 */
import fs from 'node:fs';
import { contextFromEnv, ReliabilityContext } from './context';
import { SectionResult } from './result';

export function runSection(
  name: string,
  run: (ctx: ReliabilityContext) => Promise<SectionResult>,
): void {
  const ctx = contextFromEnv();
  const started = Date.now();
  ctx.log(`[${name}] ${ctx.quick ? 'quick' : 'full'} run`);
  run(ctx).then(
    result => {
      ctx.log(
        `[${name}] done in ${Math.round((Date.now() - started) / 1000)} s`,
      );
      const json = JSON.stringify(result, null, 2);
      if (process.env.POD_WATCH_RELIABILITY_OUT) {
        fs.writeFileSync(process.env.POD_WATCH_RELIABILITY_OUT, json);
      } else {
        process.stdout.write(`${json}\n`);
      }
      process.exit(0);
    },
    error => {
      process.stderr.write(`[${name}] crashed: ${error?.stack ?? error}\n`);
      process.exit(1);
    },
  );
}
