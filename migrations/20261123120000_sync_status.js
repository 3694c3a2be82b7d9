/*
 * Live sync status per cluster and kind, written by the watch engine (src/watch) so every
 * replica's /health and the UI see the leader's view: whether the stream is connected, the last
 * event, the processing lag and which replica holds the watch.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sync_state', table => {
    table.boolean('connected');
    table.bigInteger('last_event_at');
    table.integer('lag_ms');
    table.string('holder', 253);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sync_state', table => {
    table.dropColumn('connected');
    table.dropColumn('last_event_at');
    table.dropColumn('lag_ms');
    table.dropColumn('holder');
  });
};
