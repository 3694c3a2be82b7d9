/*
 * `yarn test:reliability [--quick] [--only=a,b]`: chaos on the watch path, kill -9 restart, two
 * replicas on one PostgreSQL, a cluster outage, hostile input and security — each section in its
 * own process. Prints every check, then the closing `reliability: …` line; exits 1 when a check
 * failed or a section crashed. POD_WATCH_RELIABILITY_REPORT names a JSON file for test-all's summary.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  Check,
  Counts,
  mergeCounts,
  SectionResult,
  summaryLine,
} from './lib/result';

const SECTIONS = [
  'chaos',
  'restart',
  'replicas',
  'outage',
  'hostile',
  'security',
] as const;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args
  .find(a => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const started = Date.now();
const counts: Partial<Counts>[] = [];
const checks: Array<Check & { section: string }> = [];

for (const section of SECTIONS.filter(s => !only || only.includes(s))) {
  const out = path.join(
    os.tmpdir(),
    `pod-watch-reliability-${process.pid}-${section}.json`,
  );
  fs.rmSync(out, { force: true });
  console.log(`==> ${section}`);
  const t0 = Date.now();
  const res = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--expose-gc',
      path.join(__dirname, 'sections', `${section}.ts`),
      ...(quick ? ['--quick'] : []),
    ],
    {
      stdio: 'inherit',
      env: { ...process.env, POD_WATCH_RELIABILITY_OUT: out },
    },
  );
  const seconds = Math.round((Date.now() - t0) / 1000);
  if (res.status === 0 && fs.existsSync(out)) {
    const result: SectionResult = JSON.parse(fs.readFileSync(out, 'utf8'));
    counts.push(result.counts);
    checks.push(...result.checks.map(c => ({ ...c, section })));
    const failedHere = result.checks.filter(c => !c.ok).length;
    console.log(
      `<== ${section}: ${result.checks.length - failedHere}/${
        result.checks.length
      } checks passed, ${seconds} s`,
    );
  } else {
    checks.push({
      section,
      name: `${section} ran to the end`,
      ok: false,
      detail: `exit ${res.status ?? res.signal} after ${seconds} s`,
    });
    console.log(`<== ${section}: CRASHED after ${seconds} s`);
  }
  fs.rmSync(out, { force: true });
}

const failed = checks.filter(c => !c.ok);
for (const c of failed) {
  console.log(
    `FAILED ${c.section}: ${c.name}${c.detail ? ` — ${c.detail}` : ''}`,
  );
}
const total = mergeCounts(counts);
if (process.env.POD_WATCH_RELIABILITY_REPORT) {
  fs.writeFileSync(
    process.env.POD_WATCH_RELIABILITY_REPORT,
    JSON.stringify(
      {
        mode: quick ? 'quick' : 'full',
        seconds: Math.round((Date.now() - started) / 1000),
        passed: checks.length - failed.length,
        failed: failed.length,
        counts: total,
        checks,
      },
      null,
      2,
    ),
  );
}
console.log(
  `${checks.length - failed.length}/${
    checks.length
  } checks passed in ${Math.round((Date.now() - started) / 1000)} s (${
    quick ? 'quick' : 'full'
  } run)`,
);
console.log(summaryLine(total));
process.exit(failed.length ? 1 : 0);
