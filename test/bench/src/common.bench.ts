/*
 * Common-package benchmark: describePod and classifyLogLine throughput, single-threaded, on a
 * realistic mixed corpus (every real-world pod fixture, every humanlog benchmark log line and the
 * detect-exceptions traces), with folding, fingerprinting and redaction as extra figures.
 *
 *   yarn workspace @pod-watch/bench bench:common [--quick]
 *
 * Each measure is warmed up, then timed over several rounds (median reported). The two targets
 * are timed in rounds alternating with a baseline over the same inputs (ratio = median of the
 * per-round ratios), so a noisy machine still gives comparable numbers: JSON.parse of each pod's
 * JSON (what receiving the pod already costs) and a naive `toLowerCase().includes('error')` per
 * log line.
 * Targets: describePod ≥ 100k pods/s, classifyLogLine ≥ 1M lines/s.
 */
import { performance } from 'node:perf_hooks';
import type { V1Pod } from '@kubernetes/client-node';
import {
  classifyLogLine,
  describePod,
  fingerprintLog,
  foldLogLines,
  redactSecrets,
} from '@pod-watch/plugin-pod-watch-common';
// the fixture corpus lives with the common package's test helpers (which own the YAML parser)
import {
  loadLogCorpus,
  loadPodCorpus,
} from '@pod-watch/plugin-pod-watch-common/src/__testUtils__/corpus';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 7;
const ROUND_MS = quick ? 300 : 1000;
const WARMUP_MS = quick ? 300 : 1500;
const NOW = new Date();

// ---------------------------------------------------------------- timing
let sink = 0;

type Pass = () => void;

function warmUp(...passes: Pass[]): void {
  const until = performance.now() + WARMUP_MS;
  while (performance.now() < until) for (const p of passes) p();
}

/** Items per second of one timed round. */
function round(units: number, pass: Pass): number {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    pass();
    n++;
    elapsed = performance.now() - start;
  } while (elapsed < ROUND_MS);
  return (n * units) / (elapsed / 1000);
}

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median items per second over ROUNDS rounds. */
function throughput(units: number, pass: Pass): number {
  warmUp(pass);
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) rates.push(round(units, pass));
  return median(rates);
}

/**
 * A measure and its baseline in alternating rounds, so both see the same machine load;
 * the ratio is the median of the per-round ratios.
 */
function paired(
  units: number,
  measure: Pass,
  baselineUnits: number,
  baseline: Pass,
) {
  warmUp(measure, baseline);
  const rates: number[] = [];
  const baseRates: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const m = round(units, measure);
    const b = round(baselineUnits, baseline);
    rates.push(m);
    baseRates.push(b);
    ratios.push(m / b);
  }
  return {
    rate: median(rates),
    baseline: median(baseRates),
    ratio: median(ratios),
  };
}

function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

function main() {
  const pods = loadPodCorpus(NOW);
  const podJson = pods.map(p => JSON.stringify(p));
  const lines = loadLogCorpus();
  const bytes = lines.reduce((a, l) => a + l.length, 0);
  console.log(
    `corpus: ${pods.length} pods (k9s, gitops-engine, is-healthy, Headlamp, popeye, kube-state-metrics), ` +
      `${lines.length} log lines (${(bytes / 1024).toFixed(
        0,
      )} KiB; humanlog ×9 loggers + detect-exceptions)`,
  );
  console.log(
    `node ${process.version}, ${ROUNDS} rounds × ${ROUND_MS} ms after ${WARMUP_MS} ms warm-up, median\n`,
  );

  const now = NOW;
  const describe = paired(
    pods.length,
    () => {
      for (let i = 0; i < pods.length; i++)
        sink += describePod(pods[i], { now }).attention;
    },
    podJson.length,
    () => {
      for (let i = 0; i < podJson.length; i++)
        sink += (JSON.parse(podJson[i]) as V1Pod).spec ? 1 : 0;
    },
  );
  const classify = paired(
    lines.length,
    () => {
      for (let i = 0; i < lines.length; i++)
        sink += classifyLogLine(lines[i]).level.length;
    },
    lines.length,
    () => {
      for (let i = 0; i < lines.length; i++)
        sink += lines[i].toLowerCase().includes('error') ? 1 : 0;
    },
  );
  const foldRate = throughput(lines.length, () => {
    sink += foldLogLines(lines).length;
  });
  const entries = foldLogLines(lines);
  const fingerprintRate = throughput(entries.length, () => {
    for (let i = 0; i < entries.length; i++)
      sink += fingerprintLog(entries[i].lines).length;
  });
  const redactRate = throughput(lines.length, () => {
    for (let i = 0; i < lines.length; i++)
      sink += redactSecrets(lines[i]).length;
  });

  const rows: [string, number, string, string][] = [
    [
      'describePod',
      describe.rate,
      'pods/s',
      `≥ 100k pods/s: ${describe.rate >= 1e5 ? 'met' : 'NOT met'}`,
    ],
    [
      '  baseline JSON.parse of the same pods',
      describe.baseline,
      'pods/s',
      `describePod = ${describe.ratio.toFixed(2)}× JSON.parse (paired rounds)`,
    ],
    [
      'classifyLogLine',
      classify.rate,
      'lines/s',
      `≥ 1M lines/s: ${classify.rate >= 1e6 ? 'met' : 'NOT met'}`,
    ],
    [
      '  baseline toLowerCase().includes("error")',
      classify.baseline,
      'lines/s',
      `classifyLogLine = ${classify.ratio.toFixed(2)}× naive (paired rounds)`,
    ],
    ['foldLogLines (classify + fold)', foldRate, 'lines/s', ''],
    [
      'fingerprintLog per folded entry',
      fingerprintRate,
      'entries/s',
      `${entries.length} entries`,
    ],
    ['redactSecrets per line', redactRate, 'lines/s', ''],
  ];
  for (const [name, rate, unit, note] of rows) {
    console.log(
      `${name.padEnd(44)} ${fmt(rate).padStart(9)} ${unit.padEnd(10)} ${note}`,
    );
  }
  if (sink === 42) console.log('');
}

main();
