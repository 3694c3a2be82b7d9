/**
 * Proves the ledger comparison can fail: after a run, corrupts the scratch store in known ways
 * (a stale pod, a duplicate history row, an Event stored twice, an inflated incident counter)
 * and reports how much `lost` and `duplicates` must grow.
 */
import type { Knex } from 'knex';

export interface Planted {
  lost: number;
  duplicates: number;
  what: string[];
}

export async function plantDiscrepancies(
  knex: Knex,
  cluster: string,
): Promise<Planted> {
  const out: Planted = { lost: 0, duplicates: 0, what: [] };
  const pod = await knex('pods')
    .where({ cluster })
    .whereNull('deleted_at')
    .first();
  if (pod) {
    await knex('pods')
      .where({ cluster, uid: pod.uid })
      .update({ resource_version: '0' });
    out.lost++;
    out.what.push('stale pod');
  }
  const history = await knex('object_history')
    .where({ cluster, kind: 'Pod', verb: 'update' })
    .first();
  if (history) {
    const { id: _id, ...row } = history;
    await knex('object_history').insert({ ...row, verb: 'delete' });
    out.duplicates++;
    out.what.push('history row twice');
  }
  const event = await knex('events').where({ cluster }).first();
  if (event) {
    const { id: _id, ...row } = event;
    await knex('events').insert({ ...row, uid: `${row.uid}-planted` });
    out.duplicates++;
    out.what.push('Event under a second uid');
  }
  for (const incident of await knex('incidents').where({ cluster })) {
    const evidence =
      typeof incident.evidence_json === 'string'
        ? JSON.parse(incident.evidence_json)
        : incident.evidence_json;
    const counters = evidence?.state?.counters ?? {};
    const key = Object.keys(counters).find(k => k.startsWith('event:'));
    if (!key) continue;
    counters[key].last = Number(counters[key].last) + 1;
    await knex('incidents')
      .where({ id: incident.id })
      .update({ evidence_json: JSON.stringify(evidence) });
    out.duplicates++;
    out.what.push('incident counter above the ledger');
    break;
  }
  return out;
}
