/*
 * `yarn bench [--quick] [--only=a,b]`: every benchmark section, each in its own process, into
 * one report. A full run writes results/latest.{json,md} (committed); --quick is the CI smoke
 * run (smaller sizes, same code paths) and writes results/quick.{json,md}. Goals are reported,
 * never enforced: a section that crashes fails the run, a missed goal does not.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BenchItem,
  BenchReport,
  isGoal,
  machineInfo,
  verdict,
  renderMarkdown,
} from './lib/report';

export const SECTIONS = [
  'latency',
  'ingestion',
  'resync',
  'memory',
  'storage',
  'ui',
] as const;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args
  .find(a => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const sections = SECTIONS.filter(s => !only || only.includes(s));
const resultsDir = path.resolve(__dirname, '..', 'results');
const started = Date.now();
const machine = machineInfo();
const items: BenchItem[] = [];
const failed: string[] = [];

for (const section of sections) {
  const out = path.join(
    os.tmpdir(),
    `pod-watch-bench-${process.pid}-${section}.json`,
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
      env: { ...process.env, POD_WATCH_BENCH_OUT: out },
    },
  );
  const seconds = Math.round((Date.now() - t0) / 1000);
  if (res.status === 0 && fs.existsSync(out)) {
    const sectionItems: BenchItem[] = JSON.parse(fs.readFileSync(out, 'utf8'));
    items.push(...sectionItems);
    for (const i of sectionItems) {
      console.log(
        `    ${verdict(i, 'met ', 'MISS') || '    '} ${i.name}: ${i.value} ${
          i.unit
        }${i.ratio !== undefined ? ` (${i.ratio}×)` : ''} — goal ${i.goal}`,
      );
    }
    console.log(`<== ${section}: ${seconds} s`);
  } else {
    failed.push(section);
    console.log(
      `<== ${section}: FAILED after ${seconds} s (exit ${
        res.status ?? res.signal
      })`,
    );
  }
  fs.rmSync(out, { force: true });
}

const report: BenchReport = {
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  machine,
  durationSeconds: Math.round((Date.now() - started) / 1000),
  items,
};
// only a full run of every section replaces the committed report (or CI's quick one)
const base = `${quick ? 'quick' : 'latest'}${only ? '-partial' : ''}`;
fs.mkdirSync(resultsDir, { recursive: true });
fs.writeFileSync(
  path.join(resultsDir, `${base}.json`),
  `${JSON.stringify(report, null, 2)}\n`,
);
fs.writeFileSync(path.join(resultsDir, `${base}.md`), renderMarkdown(report));
const goals = items.filter(isGoal);
const met = goals.filter(i => i.met).length;
console.log(
  `bench: ${items.length} figures, ${goals.length} goals: ${met} met, ${
    goals.length - met
  } missed; ${failed.length} sections failed${
    failed.length ? ` (${failed.join(', ')})` : ''
  }, ${report.durationSeconds} s → results/${base}.md`,
);
process.exit(failed.length ? 1 : 0);
