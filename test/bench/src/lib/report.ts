/**
 * The benchmark report: one item per measured figure (per engine where it applies), with the
 * goal it is held to. `latest.json` is `{ date, machine, mode, items }`; `latest.md` renders it.
 */
import os from 'node:os';

export interface BenchItem {
  /** what was measured, with the engine in the name where it applies, e.g. "ingestion events/s (sqlite)" */
  name: string;
  value: number;
  unit: string;
  /** the figure measured the same way in the same run that `value` is compared with */
  baseline?: number;
  /** value / baseline (or baseline / value where the goal is "× faster": see the note) */
  ratio?: number;
  /** the goal in words, e.g. "≥ 20× faster than kubernetes-backend at p95" */
  goal: string;
  met: boolean;
  note?: string;
}

/** Items whose goal starts with "context" explain a figure (a p50 beside a p95 goal, a baseline, a diagnostic); they do not count as goals. */
export const isGoal = (item: BenchItem) => !item.goal.startsWith('context');

export interface BenchReport {
  date: string;
  mode: 'full' | 'quick';
  machine: MachineInfo;
  durationSeconds: number;
  items: BenchItem[];
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1-minute load average when the run started: a busy machine explains slow figures */
  loadAverage: number;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverage: Math.round(os.loadavg()[0] * 100) / 100,
  };
}

/** The value rounded for reports: 3 significant digits, no float noise. */
export function round(n: number): number {
  if (!Number.isFinite(n) || n === 0) return n;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(n))));
  return Number(n.toFixed(Math.min(digits, 6)));
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[
    Math.min(
      sorted.length - 1,
      Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
    )
  ];
}

export function median(samples: number[]): number {
  return percentile(samples, 50);
}

const cell = (v: unknown) =>
  v === undefined ? '' : String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** "met" / "MISS" for goals, blank for context figures. */
export function verdict(item: BenchItem, met: string, missed: string): string {
  if (!isGoal(item)) return '';
  return item.met ? met : missed;
}

export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const goals = report.items.filter(isGoal);
  const missed = goals.filter(i => !i.met);
  const missedText = missed.length
    ? ` Missed: ${missed.map(i => i.name).join('; ')} (see the notes).`
    : '';
  const lines = [
    `# Pod Watch benchmarks (${report.mode} run)`,
    '',
    `${report.date} · ${m.cpu} × ${m.cores} cores, ${m.memoryGiB} GiB · Node ${m.node} · ${m.platform} · load ${m.loadAverage} at start · ${report.durationSeconds} s`,
    '',
    `Goals met: ${goals.length - missed.length} of ${goals.length} (${
      report.items.length - goals.length
    } context figures beside them).${missedText}`,
    '',
    '| measure | value | unit | baseline | ratio | goal | met | note |',
    '|---|---:|---|---:|---:|---|:---:|---|',
    ...report.items.map(
      i =>
        `| ${cell(i.name)} | ${cell(i.value)} | ${cell(i.unit)} | ${cell(
          i.baseline,
        )} | ${cell(
          i.ratio === undefined ? undefined : `${i.ratio}×`,
        )} | ${cell(i.goal)} | ${verdict(i, 'yes', '**no**') || '–'} | ${cell(
          i.note,
        )} |`,
    ),
    '',
    'Produced by `yarn bench` (see test/bench/README.md for what each figure measures and how).',
    '',
  ];
  return lines.join('\n');
}
