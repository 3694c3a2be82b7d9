/*
 * Leadership leases, one row per cluster: the replica that holds a lease watches the cluster.
 * The holder bumps `version` every few seconds; a replica that sees the same version for a whole
 * lease duration (on its own clock, so clock skew between replicas does not matter) takes the
 * lease over with a compare-and-set on `version` — the Kubernetes client-go leader-election
 * scheme, kept in Backstage's database so no RBAC on the cluster is needed.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('leases', table => {
    table
      .string('name', 300)
      .primary()
      .comment('what is led, e.g. cluster:<name>');
    table.string('holder', 253).notNullable().comment('empty when released');
    table
      .bigInteger('version')
      .notNullable()
      .comment('bumped on every renewal');
    table
      .bigInteger('acquired_at')
      .notNullable()
      .comment('epoch ms, informational');
    table
      .bigInteger('renewed_at')
      .notNullable()
      .comment('epoch ms, informational');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('leases');
};
