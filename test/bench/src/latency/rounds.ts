/**
 * Sequential requests interleaved in rounds (A, B, C, B, C, … then the next round), so a burst
 * of load from elsewhere on the machine hits every system alike instead of one phase of the run.
 */
import { PageRequest, timedRequest } from './entityPage';

export interface TimedRoute {
  request: PageRequest;
  /** requests of this route per round */
  perRound: number;
}

/** Milliseconds per request, by route key, over `rounds` rounds. */
export async function timeInRounds<K extends string>(
  routes: Record<K, TimedRoute>,
  rounds: number,
): Promise<Record<K, number[]>> {
  const keys = Object.keys(routes) as K[];
  const samples = Object.fromEntries(
    keys.map(k => [k, [] as number[]]),
  ) as Record<K, number[]>;
  const slots = Math.max(...keys.map(k => routes[k].perRound));
  for (let round = 0; round < rounds; round++) {
    for (let slot = 0; slot < slots; slot++) {
      for (const key of keys) {
        if (slot < routes[key].perRound) {
          samples[key].push((await timedRequest(routes[key].request)).ms);
        }
      }
    }
  }
  return samples;
}
