/*
 * Pod Watch schema, step 1 (owned by the store: plugins/pod-watch-backend/src/store).
 *
 * Conventions, chosen so one migration runs unchanged on better-sqlite3 and pg:
 * - every time is epoch milliseconds in a bigint column (`*_at`): identical comparison and
 *   keyset semantics on both engines, no timezone or driver conversion, 8 bytes per value;
 * - objects are keyed by cluster + Kubernetes uid; current-state tables keep
 *   first_seen_at / last_seen_at / deleted_at (soft delete, so pages can show "last seen");
 * - append-heavy tables (events, logs, history, incidents, gaps) get an integer id for keyset
 *   pagination and bounded retention deletes, plus a unique natural key for idempotent upserts;
 * - JSON is stored as text (portable, size-capped by the store);
 * - partial indexes use plain `CREATE INDEX … WHERE`, which both engines accept.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // Clusters Pod Watch reads and per-kind sync state of their reflectors.
  await knex.schema.createTable('clusters', table => {
    table.string('name', 253).primary().notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('last_seen_at');
  });

  await knex.schema.createTable('sync_state', table => {
    table.string('cluster', 253).notNullable();
    // e.g. 'pods', 'events', 'apps/v1/deployments', 'example.com/v1/widgets'
    table.string('kind', 253).notNullable();
    table.string('resource_version', 128);
    table.bigInteger('last_success_at');
    table.text('last_error');
    table.bigInteger('last_error_at');
    table.bigInteger('updated_at').notNullable();
    table.primary(['cluster', 'kind']);
  });

  await knex.schema.createTable('pods', table => {
    table.string('cluster', 253).notNullable();
    table.string('uid', 64).notNullable();
    table.string('namespace', 253).notNullable();
    table.string('name', 253).notNullable();
    table.string('node_name', 253);
    table.string('phase', 32);
    // kubectl's STATUS column and READY "1/2", derived by the common package
    table.string('status', 128).notNullable();
    table.string('ready', 16).notNullable();
    table.integer('restarts').notNullable().defaultTo(0);
    table.bigInteger('last_restart_at');
    table.string('health', 16).notNullable();
    table.integer('attention').notNullable().defaultTo(0);
    table.string('top_issue_reason', 253);
    table.text('top_issue_message');
    table.string('top_issue_container', 253);
    table.string('top_issue_severity', 16);
    // direct controller owner, and the top-level workload it rolls up to (Deployment for a ReplicaSet)
    table.string('owner_kind', 64);
    table.string('owner_name', 253);
    table.string('owner_uid', 64);
    table.string('workload_kind', 64);
    table.string('workload_name', 253);
    table.string('pod_ip', 64);
    table.text('labels_json').notNullable();
    table.string('resource_version', 64);
    table.bigInteger('created_at');
    table.bigInteger('first_seen_at').notNullable();
    table.bigInteger('last_seen_at').notNullable();
    table.bigInteger('deleted_at');
    table.primary(['cluster', 'uid']);
    table.index(['cluster', 'namespace', 'name'], 'pods_cluster_ns_name_idx');
    table.index(['attention'], 'pods_attention_idx');
    table.index(['deleted_at'], 'pods_deleted_at_idx');
  });

  // One row per pod label so selectors run in SQL: `=`/`in`/exists drive from (key, value),
  // `!=`/`notin`/`!` probe the primary key.
  await knex.schema.createTable('pod_labels', table => {
    table.string('cluster', 253).notNullable();
    table.string('pod_uid', 64).notNullable();
    table.string('key', 317).notNullable();
    table.string('value', 63).notNullable();
    table.primary(['cluster', 'pod_uid', 'key']);
    table.index(
      ['key', 'value', 'cluster', 'pod_uid'],
      'pod_labels_key_value_idx',
    );
  });

  await knex.schema.createTable('containers', table => {
    table.string('cluster', 253).notNullable();
    table.string('pod_uid', 64).notNullable();
    table.string('name', 253).notNullable();
    table.string('type', 16).notNullable(); // 'init' | 'app' | 'ephemeral'
    table.integer('position').notNullable().defaultTo(0);
    table.string('image', 512);
    table.boolean('ready').notNullable().defaultTo(false);
    table.string('state', 16).notNullable(); // 'waiting' | 'running' | 'terminated' | 'unknown'
    table.string('state_reason', 128);
    table.text('state_message');
    table.bigInteger('state_since_at');
    table.integer('restart_count').notNullable().defaultTo(0);
    table.string('last_term_reason', 128);
    table.integer('last_term_exit_code');
    table.bigInteger('last_term_finished_at');
    table.bigInteger('updated_at').notNullable();
    table.primary(['cluster', 'pod_uid', 'name']);
  });

  await knex.schema.createTable('workloads', table => {
    table.string('cluster', 253).notNullable();
    table.string('uid', 64).notNullable();
    // 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job'
    table.string('kind', 64).notNullable();
    table.string('namespace', 253).notNullable();
    table.string('name', 253).notNullable();
    table.integer('desired_replicas');
    table.integer('current_replicas');
    table.integer('ready_replicas');
    table.integer('available_replicas');
    table.integer('updated_replicas');
    table.integer('succeeded');
    table.integer('failed');
    table.integer('active');
    table.bigInteger('generation');
    table.bigInteger('observed_generation');
    table.string('owner_kind', 64);
    table.string('owner_name', 253);
    table.string('owner_uid', 64);
    table.text('labels_json').notNullable();
    table.text('selector_json');
    table.text('conditions_json');
    table.string('resource_version', 64);
    table.bigInteger('created_at');
    table.bigInteger('first_seen_at').notNullable();
    table.bigInteger('last_seen_at').notNullable();
    table.bigInteger('deleted_at');
    table.primary(['cluster', 'uid']);
    table.index(
      ['cluster', 'namespace', 'kind', 'name'],
      'workloads_cluster_ns_kind_name_idx',
    );
    table.index(['cluster', 'owner_uid'], 'workloads_owner_idx');
    table.index(['deleted_at'], 'workloads_deleted_at_idx');
  });

  await knex.schema.createTable('workload_labels', table => {
    table.string('cluster', 253).notNullable();
    table.string('workload_uid', 64).notNullable();
    table.string('key', 317).notNullable();
    table.string('value', 63).notNullable();
    table.primary(['cluster', 'workload_uid', 'key']);
    table.index(
      ['key', 'value', 'cluster', 'workload_uid'],
      'workload_labels_key_value_idx',
    );
  });

  // EndpointSlice endpoints, one row per address of a slice of a Service.
  await knex.schema.createTable('service_endpoints', table => {
    table.string('cluster', 253).notNullable();
    table.string('namespace', 253).notNullable();
    table.string('service', 253).notNullable();
    table.string('slice', 253).notNullable();
    table.string('ip', 64).notNullable();
    table.string('pod_uid', 64);
    table.string('pod_name', 253);
    table.string('node_name', 253);
    table.boolean('ready');
    table.boolean('serving');
    table.boolean('terminating');
    table.bigInteger('first_seen_at').notNullable();
    table.bigInteger('last_seen_at').notNullable();
    table.primary(['cluster', 'namespace', 'service', 'slice', 'ip']);
    table.index(['cluster', 'pod_uid'], 'service_endpoints_pod_idx');
  });

  // Watched custom resources (and any other kind without a dedicated table).
  await knex.schema.createTable('watched_objects', table => {
    table.string('cluster', 253).notNullable();
    table.string('uid', 64).notNullable();
    table.string('api_version', 253).notNullable();
    table.string('kind', 128).notNullable();
    table.string('namespace', 253); // null for cluster-scoped objects
    table.string('name', 253).notNullable();
    table.text('labels_json').notNullable();
    table.text('status_json');
    table.text('object_json');
    table.string('resource_version', 64);
    table.bigInteger('created_at');
    table.bigInteger('first_seen_at').notNullable();
    table.bigInteger('last_seen_at').notNullable();
    table.bigInteger('deleted_at');
    table.primary(['cluster', 'uid']);
    table.index(
      ['cluster', 'kind', 'namespace', 'name'],
      'watched_objects_kind_idx',
    );
    table.index(['deleted_at'], 'watched_objects_deleted_at_idx');
  });

  await knex.schema.createTable('object_history', table => {
    table.bigIncrements('id').primary();
    table.string('cluster', 253).notNullable();
    table.string('object_uid', 64).notNullable();
    table.string('api_version', 253);
    table.string('kind', 128).notNullable();
    table.string('namespace', 253);
    table.string('name', 253).notNullable();
    table.string('verb', 8).notNullable(); // 'create' | 'update' | 'delete'
    table.string('resource_version', 64).notNullable();
    table.bigInteger('at').notNullable();
    table.text('snapshot_json');
    table.text('diff_json');
    // replaying a watch event hits this key and is ignored
    table.unique(['cluster', 'object_uid', 'resource_version', 'verb'], {
      indexName: 'object_history_natural_key',
    });
    table.index(['cluster', 'object_uid', 'at'], 'object_history_object_idx');
    table.index(['cluster', 'namespace', 'at'], 'object_history_ns_idx');
    table.index(['at'], 'object_history_at_idx');
  });

  // Events: core/v1 and events.k8s.io/v1 normalised to one shape, one row per Event uid.
  await knex.schema.createTable('events', table => {
    table.bigIncrements('id').primary();
    table.string('cluster', 253).notNullable();
    table.string('uid', 64).notNullable();
    table.string('namespace', 253);
    table.string('name', 253).notNullable();
    table.string('type', 16); // 'Normal' | 'Warning'
    table.string('reason', 128);
    table.text('message');
    table.string('regarding_kind', 64);
    table.string('regarding_namespace', 253);
    table.string('regarding_name', 253);
    table.string('regarding_uid', 64);
    table.string('regarding_field_path', 253);
    table.string('reporting_controller', 253);
    table.string('reporting_instance', 253);
    table.string('action', 128);
    table.integer('count').notNullable().defaultTo(1);
    table.bigInteger('first_at').notNullable();
    table.bigInteger('last_at').notNullable();
    table.string('resource_version', 64);
    table.unique(['cluster', 'uid'], { indexName: 'events_natural_key' });
    table.index(
      ['cluster', 'regarding_uid', 'last_at'],
      'events_regarding_idx',
    );
    table.index(['cluster', 'namespace', 'last_at'], 'events_ns_idx');
    table.index(['last_at'], 'events_last_at_idx');
  });

  await knex.schema.createTable('log_lines', table => {
    table.bigIncrements('id').primary();
    table.string('cluster', 253).notNullable();
    table.string('namespace', 253).notNullable();
    table.string('pod_uid', 64).notNullable();
    table.string('pod_name', 253).notNullable();
    table.string('container', 253).notNullable();
    // restart number of the container instance the line came from
    table.integer('instance').notNullable().defaultTo(0);
    table.string('source', 8).notNullable(); // 'live' | 'previous'
    table.bigInteger('at').notNullable();
    table.string('level', 8).notNullable();
    table.boolean('exception').notNullable().defaultTo(false);
    table.string('fingerprint', 64);
    table.text('text').notNullable();
    // hash of (time, text, ordinal of identical lines): re-captured overlapping tails are ignored
    table.string('line_key', 32).notNullable();
    table.unique(['cluster', 'pod_uid', 'container', 'instance', 'line_key'], {
      indexName: 'log_lines_natural_key',
    });
    // pod uids are UUIDs: leading with them (not cluster) lets one index serve a set of pods
    table.index(['pod_uid', 'at', 'id'], 'log_lines_pod_at_idx');
    table.index(['at'], 'log_lines_at_idx');
    table.index(['fingerprint'], 'log_lines_fingerprint_idx');
  });

  await knex.schema.createTable('incidents', table => {
    table.bigIncrements('id').primary();
    table.string('type', 64).notNullable();
    table.string('severity', 16).notNullable();
    table.string('status', 16).notNullable(); // 'open' | 'resolved'
    table.string('fingerprint', 128).notNullable();
    table.string('entity_ref', 512);
    table.string('cluster', 253);
    table.string('namespace', 253);
    table.string('workload_kind', 64);
    table.string('workload_name', 253);
    table.string('pod_uid', 64);
    table.string('pod_name', 253);
    table.string('container', 253);
    table.text('summary').notNullable();
    table.text('root_cause_hint');
    table.integer('occurrences').notNullable().defaultTo(1);
    table.bigInteger('first_seen_at').notNullable();
    table.bigInteger('last_seen_at').notNullable();
    table.bigInteger('opened_at').notNullable();
    table.bigInteger('resolved_at');
    table.bigInteger('recurrence_of');
    table.text('evidence_json');
    table.bigInteger('updated_at').notNullable();
    table.index(['entity_ref', 'status', 'opened_at'], 'incidents_entity_idx');
    table.index(['fingerprint', 'opened_at'], 'incidents_fingerprint_idx');
    table.index(['status', 'opened_at'], 'incidents_status_idx');
    table.index(['cluster', 'pod_uid'], 'incidents_pod_idx');
  });
  // At most one open incident per fingerprint: the open-or-update path relies on it.
  await knex.raw(
    "CREATE UNIQUE INDEX incidents_open_fingerprint ON incidents (fingerprint) WHERE status = 'open'",
  );

  // Time ranges where Pod Watch could not observe a cluster/kind (watch down, relist, log gaps).
  await knex.schema.createTable('observation_gaps', table => {
    table.bigIncrements('id').primary();
    table.string('cluster', 253).notNullable();
    table.string('kind', 253).notNullable();
    table.string('namespace', 253).notNullable().defaultTo('');
    table.bigInteger('started_at').notNullable();
    table.bigInteger('ended_at');
    table.text('reason');
    table.unique(['cluster', 'kind', 'namespace', 'started_at'], {
      indexName: 'observation_gaps_natural_key',
    });
    table.index(['started_at'], 'observation_gaps_started_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const name of [
    'observation_gaps',
    'incidents',
    'log_lines',
    'events',
    'object_history',
    'watched_objects',
    'service_endpoints',
    'workload_labels',
    'workloads',
    'containers',
    'pod_labels',
    'pods',
    'sync_state',
    'clusters',
  ]) {
    await knex.schema.dropTableIfExists(name);
  }
};
