package dev.plaidsync.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Days of history, as a production database holds it, generated in PostgreSQL in seconds:
 * webhook-driven single-item runs (each its own job instance, with {@code scope},
 * {@code itemId} and {@code slot} parameters, one step and its owner row; 1% failed;
 * spread over the last five days), and the webhook events that launched them. Then
 * ANALYZE. The tables' secondary indexes (the migrations' own, not keys or unique
 * constraints) are dropped for the load and built again afterwards from their
 * definitions, which is several times faster than maintaining them row by row.
 */
public final class HistoricalExecutions {

	private HistoricalExecutions() {
	}

	private static final String TABLES = "'batch_job_instance', 'batch_job_execution', 'batch_job_execution_params', "
			+ "'batch_step_execution', 'job_execution_owners', 'plaid_webhook_events'";

	/**
	 * Adds {@code executions} runs over {@code items} item ids and {@code events} webhook
	 * events; ids start at 1.
	 */
	public static void load(Connection connection, int executions, int items, int events) throws SQLException {
		try (Statement sql = connection.createStatement()) {
			sql.execute("SET synchronous_commit = off");
			sql.execute("SET maintenance_work_mem = '256MB'");
			List<String> definitions = new ArrayList<>();
			try (ResultSet rows = sql.executeQuery(
					"""
							SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
							WHERE i.indrelid IN (SELECT c.oid FROM pg_class c WHERE c.relname IN (%s) AND c.relnamespace = 'public'::regnamespace)
							  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
							"""
						.formatted(TABLES))) {
				List<String> names = new ArrayList<>();
				while (rows.next()) {
					names.add(rows.getString(1));
					definitions.add(rows.getString(2));
				}
				rows.close();
				for (String name : names) {
					sql.execute("DROP INDEX " + name);
				}
			}
			// generated rows are consistent by construction: skip the per-row foreign-key
			// triggers
			sql.execute("SET session_replication_role = replica");
			sql.execute(
					"""
							INSERT INTO batch_job_instance (job_instance_id, version, job_name, job_key)
							SELECT n, 0, CASE WHEN mod(n, 10) < 7 THEN 'holdingsSyncJob' ELSE 'transactionsSyncJob' END,
							    lpad(to_hex(n), 32, '0')
							FROM generate_series(1, %1$d) AS n;
							INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, create_time, start_time,
							    end_time, status, exit_code, exit_message, last_updated)
							SELECT n, 2, n, t, t, t + interval '2 seconds', s, s, '', t + interval '2 seconds'
							FROM (SELECT n, localtimestamp - interval '5 days' * (%1$d - n) / %1$d AS t,
							             CASE WHEN mod(n, 100) = 0 THEN 'FAILED' ELSE 'COMPLETED' END AS s
							      FROM generate_series(1, %1$d) AS n) AS e;
							INSERT INTO batch_job_execution_params (job_execution_id, parameter_name, parameter_type, parameter_value, identifying)
							SELECT n, p.name, 'java.lang.String', CASE p.name WHEN 'scope' THEN 'ITEM'
							    WHEN 'itemId' THEN 'item-' || mod(n, %3$d) ELSE 'event-' || n END, 'Y'
							FROM generate_series(1, %1$d) AS n CROSS JOIN (VALUES ('scope'), ('itemId'), ('slot')) AS p (name);
							INSERT INTO batch_step_execution (step_execution_id, version, step_name, job_execution_id, create_time,
							    start_time, end_time, status, commit_count, read_count, filter_count, write_count, read_skip_count,
							    write_skip_count, process_skip_count, rollback_count, exit_code, exit_message, last_updated)
							SELECT n, 3, 'holdingsSyncStep', n, t, t, t + interval '2 seconds', s, 1, 1, 0, 1, 0, 0, 0, 0, s, '',
							    t + interval '2 seconds'
							FROM (SELECT n, localtimestamp - interval '5 days' * (%1$d - n) / %1$d AS t,
							             CASE WHEN mod(n, 100) = 0 THEN 'FAILED' ELSE 'COMPLETED' END AS s
							      FROM generate_series(1, %1$d) AS n) AS e;
							INSERT INTO job_execution_owners (job_execution_id, job_name, node_id, started_at)
							SELECT n, CASE WHEN mod(n, 10) < 7 THEN 'holdingsSyncJob' ELSE 'transactionsSyncJob' END, 'old-node',
							    now() - interval '5 days' * (%1$d - n) / %1$d
							FROM generate_series(1, %1$d) AS n;
							INSERT INTO plaid_webhook_events (webhook_type, webhook_code, item_id, raw_webhook_data, created_at, status,
							    success, verification, body_sha256, job_execution_id, processed_at)
							SELECT 'HOLDINGS', 'DEFAULT_UPDATE', 'item-' || mod(n, %3$d), '{}', now() - interval '5 days' * (%4$d - n) / %4$d,
							    'DONE', true, 'VERIFIED', md5(n::text), n * 5, now()
							FROM generate_series(1, %4$d) AS n;
							SELECT setval('batch_job_instance_seq', %2$d);
							SELECT setval('batch_job_execution_seq', %2$d);
							SELECT setval('batch_step_execution_seq', %2$d);
							"""
						.formatted(executions, executions + 1000, items, events));
			sql.execute("SET session_replication_role = DEFAULT");
			for (String definition : definitions) {
				sql.execute(definition);
			}
			sql.execute("ANALYZE");
		}
	}

}
