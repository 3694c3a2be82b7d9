import { StoreContext } from './batching';

/** A leadership lease as stored: who holds it and how often it has been renewed. */
export interface LeaseRecord {
  name: string;
  /** empty when released */
  holder: string;
  version: number;
  renewedAt: string;
}

export async function getLease(
  ctx: StoreContext,
  name: string,
): Promise<LeaseRecord | undefined> {
  const row = await ctx.knex('leases').where({ name }).first();
  return row
    ? {
        name: row.name,
        holder: row.holder,
        version: Number(row.version),
        renewedAt: new Date(Number(row.renewed_at)).toISOString(),
      }
    : undefined;
}

/** Creates the lease held by `holder` unless it exists; true when this call created it. */
export async function createLease(
  ctx: StoreContext,
  name: string,
  holder: string,
  now = Date.now(),
): Promise<boolean> {
  const inserted = await ctx
    .knex('leases')
    .insert({ name, holder, version: 1, acquired_at: now, renewed_at: now })
    .onConflict('name')
    .ignore()
    .returning('name');
  return inserted.length > 0;
}

/**
 * Takes the lease over if it is still at `version` (what the caller observed): exactly one of
 * several replicas racing for an expired or released lease wins.
 */
export async function takeLease(
  ctx: StoreContext,
  name: string,
  holder: string,
  version: number,
  now = Date.now(),
): Promise<boolean> {
  const updated = await ctx
    .knex('leases')
    .where({ name, version })
    .update({
      holder,
      version: version + 1,
      acquired_at: now,
      renewed_at: now,
    });
  return updated === 1;
}

/** Renews a lease this holder still has; false when another replica took it. */
export async function renewLease(
  ctx: StoreContext,
  name: string,
  holder: string,
  now = Date.now(),
): Promise<boolean> {
  const updated = await ctx
    .knex('leases')
    .where({ name, holder })
    .update({ version: ctx.knex.raw('version + 1'), renewed_at: now });
  return updated === 1;
}

/** Gives the lease up (graceful shutdown) so another replica takes it at once. */
export async function releaseLease(
  ctx: StoreContext,
  name: string,
  holder: string,
  now = Date.now(),
): Promise<void> {
  await ctx
    .knex('leases')
    .where({ name, holder })
    .update({
      holder: '',
      version: ctx.knex.raw('version + 1'),
      renewed_at: now,
    });
}
