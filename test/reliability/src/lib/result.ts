/**
 * What a reliability section reports: the counters of the suite's closing line and the checks
 * behind them (each check passes or fails the run; the counters say how much was exercised).
 */
export interface Counts {
  /** faults injected into the watch path (drops, closes, malformed lines, stalls, 4xx/5xx, 410) */
  faults: number;
  /** state changes in the simulator's ledger missing from the store outside recorded gaps */
  lost: number;
  /** duplicate Events, incidents or history rows */
  duplicates: number;
  /** seconds from killing the leader to the other replica watching (max over runs) */
  failover_s: number;
  /** hostile objects, log lines and route parameters thrown at the backend */
  hostile_inputs: number;
  /** HTTP 5xx answers from Pod Watch routes */
  '5xx': number;
  /** percentage of planted secrets redacted before storage */
  redaction_recall: number;
}

export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface SectionResult {
  counts: Partial<Counts>;
  checks: Check[];
}

export const ZERO: Counts = {
  faults: 0,
  lost: 0,
  duplicates: 0,
  failover_s: 0,
  hostile_inputs: 0,
  '5xx': 0,
  redaction_recall: 0,
};

/** Sums counters; failover takes the worst run, recall the lowest measured. */
export function mergeCounts(all: Partial<Counts>[]): Counts {
  const out = { ...ZERO };
  const recalls = all.flatMap(c =>
    c.redaction_recall === undefined ? [] : [c.redaction_recall],
  );
  for (const c of all) {
    out.faults += c.faults ?? 0;
    out.lost += c.lost ?? 0;
    out.duplicates += c.duplicates ?? 0;
    out.failover_s = Math.max(out.failover_s, c.failover_s ?? 0);
    out.hostile_inputs += c.hostile_inputs ?? 0;
    out['5xx'] += c['5xx'] ?? 0;
  }
  out.redaction_recall = recalls.length ? Math.min(...recalls) : 0;
  return out;
}

export function summaryLine(c: Counts): string {
  return `reliability: faults=${c.faults} lost=${c.lost} duplicates=${c.duplicates} failover_s=${c.failover_s} hostile_inputs=${c.hostile_inputs} 5xx=${c['5xx']} redaction_recall=${c.redaction_recall}%`;
}

/** Collects checks as a section goes; `expect` records instead of throwing so every check runs. */
export class Checks {
  readonly list: Check[] = [];
  expect(name: string, ok: boolean, detail?: string): boolean {
    this.list.push({ name, ok, detail });
    process.stderr.write(
      `    ${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}\n`,
    );
    return ok;
  }
}
