/**
 * Why an ingestion run missed its goal, in words for the report note, from what the run
 * measured: the offered rate, where the apply time went, and the ingester's CPU (objects that
 * differ from the simulator are in the summary already).
 */
import type { IngestionResult } from './measureIngestion';

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function describeMiss(r: IngestionResult, goalRate: number): string {
  const reasons: string[] = [];
  if (r.offeredPerSecond < goalRate) {
    reasons.push(
      `the simulator only offered ${Math.round(
        r.offeredPerSecond,
      )} changes/s (its process was CPU-starved), so the rate says nothing about Pod Watch`,
    );
  }
  const { batches, storeMs, totalMs } = r.times;
  const wall = (r.offered / r.offeredPerSecond) * 1000 + r.idleMs;
  const incidentMs = totalMs - storeMs;
  const perChange = (ms: number) => (ms / Math.max(1, r.stored)).toFixed(2);
  const incidents =
    incidentMs > 0
      ? `, ${s(incidentMs)} in incident building (${perChange(
          incidentMs,
        )} ms per change, one change at a time)`
      : '';
  reasons.push(
    `the reflectors spent ${s(
      totalMs,
    )} applying ${batches} batches (${Math.round(
      r.stored / Math.max(1, batches),
    )} changes each) in ${s(wall)}: ${s(storeMs)} in store writes (${perChange(
      storeMs,
    )} ms per change)${incidents}; the ingester process used ${Math.round(
      r.cpuShare * 100,
    )}% of a core`,
  );
  return reasons.join('; ');
}
