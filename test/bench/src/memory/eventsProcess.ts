/**
 * The measured process for memory across stored Events: a store on the database given in
 * POD_WATCH_BENCH_DB (a knex config) takes Events in batches through its production upsert,
 * with the entity page's queries (Events and incidents of one entity) between batches, and
 * samples its memory after gc at every `sampleEvery` Events.
 */
import knexFactory from 'knex';
import { PodWatchStore } from '@pod-watch/plugin-pod-watch-backend/src/store';
import { makeEvent, rng } from '../lib/generators';
import { serve } from './child';
import { MemorySample, sampleMemory } from './sample';

export interface EventsRun {
  total: number;
  batch: number;
  sampleEvery: number;
  /** Events regard this many pods; an entity owns every `entities`-th of them */
  pods: number;
  entities: number;
}

export interface EventsSample extends MemorySample {
  events: number;
  seconds: number;
}

async function main() {
  const knex = knexFactory(JSON.parse(process.env.POD_WATCH_BENCH_DB!));
  const store = await PodWatchStore.create(knex);
  serve({
    run: async (o: EventsRun): Promise<EventsSample[]> => {
      const r = rng(5);
      const now = Date.now();
      const t0 = Date.now();
      const samples: EventsSample[] = [];
      for (let done = 0, page = 0; done < o.total; page++) {
        const batch = Array.from(
          { length: Math.min(o.batch, o.total - done) },
          (_, j) => makeEvent(done + j, r, { pods: o.pods, now }),
        );
        await store.upsertEvents(batch);
        done += batch.length;
        // what an entity page asks for: its pods' Events and its incidents
        const entity = page % o.entities;
        const podUids = Array.from(
          { length: Math.ceil(o.pods / o.entities) },
          (_, k) => `pod-${entity + k * o.entities}`,
        );
        await store.listEvents({
          cluster: 'bench',
          regardingUids: podUids,
          limit: 100,
        });
        await store.listIncidents({
          about: { entityRef: `component:default/app-${entity}`, podUids },
          limit: 100,
        });
        if (done % o.sampleEvery === 0) {
          samples.push({
            events: done,
            seconds: (Date.now() - t0) / 1000,
            ...(await sampleMemory()),
          });
        }
      }
      return samples;
    },
  });
  process.on('SIGTERM', () => knex.destroy().finally(() => process.exit(0)));
}

main().catch(e => {
  process.stderr.write(`events process: ${e?.stack ?? e}\n`);
  process.exit(1);
});
