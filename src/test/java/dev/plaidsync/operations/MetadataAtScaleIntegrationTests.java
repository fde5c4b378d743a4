package dev.plaidsync.operations;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.PlaidSyncApplication;
import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.sync.runtime.JobRuntimeProbe;
import dev.plaidsync.sync.LaunchOutcome;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.testsupport.HistoricalExecutions;
import dev.plaidsync.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One million historical job executions (five days of webhook-driven single-item runs for 150,000 items) and 200,000
 * webhook events, loaded with generate_series and analyzed. Then an engine runs its hot paths on them for real: a
 * verified webhook dispatched, launched and ended by the inbox, a user's run through the launcher, orphan recovery
 * marking a dead node's execution and looking for resumable ones, the alert metrics, the operator's execution lists
 * and charts, and every background loop at a short interval. PostgreSQL's own counters must then show that not one of
 * those statements planned a sequential scan of a large table: each planned scan would read millions of rows every
 * few seconds on every node. The hot statements (as the engine writes them, with representative values) are also
 * EXPLAINed, and the test fails on any plan with a sequential scan of a large table, including statements of paths
 * this run did not happen to take.
 */
class MetadataAtScaleIntegrationTests {

	private static final int EXECUTIONS = 1_000_000;

	private static final List<String> LARGE_TABLES = List.of("batch_job_instance", "batch_job_execution",
			"batch_job_execution_params", "batch_step_execution", "job_execution_owners", "plaid_webhook_events");

	private static final List<String> HOT_QUERIES = List.of(
			"""
			SELECT e.job_execution_id FROM batch_job_execution e
			JOIN job_execution_owners o ON o.job_execution_id = e.job_execution_id
			WHERE o.node_id = 'n1' AND e.status IN ('STARTING', 'STARTED', 'STOPPING') ORDER BY e.job_execution_id
			""",
			"""
			SELECT e.job_execution_id FROM batch_job_execution e
			LEFT JOIN job_execution_owners o ON o.job_execution_id = e.job_execution_id
			LEFT JOIN engine_nodes n ON n.node_id = o.node_id
			WHERE e.status IN ('STARTING', 'STARTED', 'STOPPING')
			  AND CASE WHEN o.node_id IS NULL THEN e.create_time < localtimestamp - make_interval(secs => 5)
			           ELSE n.node_id IS NULL OR n.last_seen_at < now() - make_interval(secs => 5) END
			ORDER BY e.job_execution_id
			""",
			"""
			SELECT r.id FROM sync_requests r WHERE r.state = 'RUNNING' AND (
			    (r.job_execution_id IS NULL AND r.started_at < now() - interval '2 minutes')
			    OR EXISTS (SELECT 1 FROM batch_job_execution e WHERE e.job_execution_id = r.job_execution_id
			               AND e.status NOT IN ('STARTING', 'STARTED', 'STOPPING')))
			""",
			"""
			SELECT e.job_execution_id FROM batch_job_execution e JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
			WHERE e.job_execution_id IN (SELECT (SELECT max(o2.job_execution_id) FROM job_execution_owners o2 WHERE o2.job_name = j.name)
			                             FROM unnest(ARRAY['holdingsSyncJob','transactionsSyncJob']) AS j (name))
			""",
			"""
			SELECT JOB_INSTANCE_ID, JOB_NAME FROM BATCH_JOB_INSTANCE WHERE JOB_NAME = 'holdingsSyncJob' ORDER BY JOB_INSTANCE_ID DESC LIMIT 1
			""",
			"""
			SELECT E.JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION E, BATCH_JOB_INSTANCE I WHERE E.JOB_INSTANCE_ID=I.JOB_INSTANCE_ID
			AND I.JOB_NAME='holdingsSyncJob' AND E.STATUS IN ('STARTING', 'STARTED', 'STOPPING') ORDER BY E.JOB_EXECUTION_ID DESC
			""",
			"""
			SELECT o.job_execution_id FROM job_execution_owners o
			JOIN batch_job_execution e ON e.job_execution_id = o.job_execution_id
			WHERE o.resumed_at IS NULL
			  AND (o.orphaned_at IS NOT NULL OR o.stopped_for_shutdown_at IS NOT NULL OR o.stranded_at IS NOT NULL)
			  AND e.status IN ('FAILED', 'STOPPED')
			  AND e.job_execution_id = (SELECT max(later.job_execution_id) FROM batch_job_execution later
			                            WHERE later.job_instance_id = e.job_instance_id)
			ORDER BY o.job_execution_id LIMIT 100
			""",
			"""
			SELECT count(*) FROM (SELECT 1 FROM batch_job_execution e
			WHERE (CAST(NULL AS text) IS NULL
			       OR (SELECT i.job_name FROM batch_job_instance i WHERE i.job_instance_id = e.job_instance_id) = NULL)
			  AND (CAST('FAILED' AS text) IS NULL OR e.status = 'FAILED')
			  AND (CAST(NULL AS timestamp) IS NULL OR e.create_time >= NULL)
			  AND (CAST(NULL AS timestamp) IS NULL OR e.create_time < NULL)
			ORDER BY e.job_execution_id DESC LIMIT 10001) AS matching
			""",
			"""
			SELECT count(*) FROM (SELECT 1 FROM batch_job_execution e
			WHERE (CAST('holdingsSyncJob' AS text) IS NULL
			       OR (SELECT i.job_name FROM batch_job_instance i WHERE i.job_instance_id = e.job_instance_id) = 'holdingsSyncJob')
			  AND (CAST(NULL AS text) IS NULL OR e.status = NULL)
			  AND (CAST(NULL AS timestamp) IS NULL OR e.create_time >= NULL)
			  AND (CAST(NULL AS timestamp) IS NULL OR e.create_time < NULL)
			ORDER BY e.job_execution_id DESC LIMIT 10001) AS matching
			""",
			"""
			SELECT count(*) FROM (SELECT 1 FROM batch_job_execution e
			WHERE (CAST('holdingsSyncJob' AS text) IS NULL
			       OR (SELECT i.job_name FROM batch_job_instance i WHERE i.job_instance_id = e.job_instance_id) = 'holdingsSyncJob')
			  AND (CAST('FAILED' AS text) IS NULL OR e.status = 'FAILED')
			  AND (CAST(NULL AS timestamp) IS NULL OR e.create_time >= NULL)
			  AND (CAST(NULL AS timestamp) IS NULL OR e.create_time < NULL)
			ORDER BY e.job_execution_id DESC LIMIT 10001) AS matching
			""",
			"""
			SELECT e.job_execution_id, o.node_id FROM batch_job_execution e
			JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
			LEFT JOIN job_execution_owners o ON o.job_execution_id = e.job_execution_id
			WHERE e.status = 'FAILED' ORDER BY e.job_execution_id DESC LIMIT 50 OFFSET 0
			""",
			"""
			SELECT s.step_name, date_trunc('hour', CAST(coalesce(s.end_time, s.last_updated) AS timestamptz)) AS hour,
			       greatest(0, s.write_count - (SELECT count(*) FROM sync_item_failures f
			                                    WHERE f.job_execution_id = s.job_execution_id)) AS synced
			FROM batch_step_execution s
			WHERE coalesce(s.end_time, s.last_updated) >= CAST(date_trunc('hour', now()) - interval '23 hours' AS timestamp)
			  AND s.step_name IN ('holdingsSyncStep', 'transactionsSyncStep', 'balancesSyncStep')
			""",
			"""
			SELECT r.id FROM sync_run_requests r
			WHERE r.ended_at IS NULL AND r.requested_at < now() - make_interval(secs => 120)
			  AND ((r.job_execution_id IS NULL
			        AND NOT EXISTS (SELECT 1 FROM sync_requests q WHERE q.id = r.run_row_id))
			    OR (r.job_execution_id IS NOT NULL AND NOT EXISTS (
			        SELECT 1 FROM batch_job_execution e JOIN batch_job_execution l ON l.job_instance_id = e.job_instance_id
			        WHERE e.job_execution_id = r.job_execution_id
			          AND (l.status IN ('STARTING', 'STARTED', 'STOPPING')
			               OR coalesce(l.end_time, l.last_updated, l.create_time)
			                  > localtimestamp - make_interval(secs => 120)))))
			ORDER BY r.id LIMIT 500
			""",
			"""
			SELECT count(*) FROM batch_job_execution e
			WHERE e.status IN ('FAILED', 'STOPPED')
			  AND e.job_execution_id = (SELECT max(later.job_execution_id) FROM batch_job_execution later
			                            WHERE later.job_instance_id = e.job_instance_id)
			""",
			"""
			SELECT i.job_name, max(e.end_time) FROM batch_job_execution e
			JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
			JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
			WHERE e.status = 'COMPLETED' AND p.parameter_name = 'scope' AND p.parameter_value = 'ALL'
			GROUP BY i.job_name
			""");

	@Test
	void hotQueriesStayIndexScansWithAMillionExecutions() throws Exception {
		String url = TestDatabase.newMigratedDatabaseUrl();
		Map<String, Long> before;
		try (Connection connection = DriverManager.getConnection(url, TestDatabase.username(), "")) {
			long loading = System.nanoTime();
			load(connection);
			System.out.printf("Loaded %,d executions in %.1f s%n", EXECUTIONS, (System.nanoTime() - loading) / 1e9);
			before = sequentialScans(connection);
		}

		String itemId;
		try (ConfigurableApplicationContext engine = engine(url)) {
			JdbcClient jdbc = engine.getBean(JdbcClient.class);
			UUID user = engine.getBean(Users.class).idFor("scale-user");
			itemId = TestItems.create(engine, user, 1, "ins_900001", "scale").get(0);
			String base = "http://localhost:" + engine.getEnvironment().getProperty("local.server.port");

			// a verified webhook: stored, dispatched, launched, and ended by the inbox's completion sweep
			byte[] body = ("{\n  \"environment\": \"sandbox\",\n  \"error\": null,\n  \"item_id\": \"" + itemId
					+ "\",\n  \"new_holdings\": 1,\n  \"updated_holdings\": 0,\n  \"webhook_code\": \"DEFAULT_UPDATE\",\n"
					+ "  \"webhook_type\": \"HOLDINGS\"\n}").getBytes(StandardCharsets.UTF_8);
			HttpResponse<String> answer = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(base + "/webhook/plaid"))
					.header("Content-Type", "application/json")
					.header("Plaid-Verification", engine.getBean(PlaidSimulator.class).signWebhook(body).verification())
					.POST(HttpRequest.BodyPublishers.ofByteArray(body))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jdbc
				.sql("SELECT status FROM plaid_webhook_events WHERE item_id = :item").param("item", itemId).query(String.class)
				.single()).isEqualTo("DONE"));

			// a user's run through the launcher
			LaunchOutcome outcome = engine.getBean(SyncLauncher.class).request(SyncJob.TRANSACTIONS, SyncScope.item(itemId),
					"scale-test", SyncOptions.interactive(SyncOptions.TransactionsWindow.ROUTINE));
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jdbc
				.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = :id")
				.param("id", outcome.jobExecutionId()).query(String.class).single()).isEqualTo("COMPLETED"));

			// a dead node's execution is found and marked orphaned by the recovery loop
			long orphan = EXECUTIONS + 100;
			jdbc.sql("""
					INSERT INTO engine_nodes (node_id, host, last_seen_at) VALUES ('dead-node', 'gone', now() - interval '1 hour');
					INSERT INTO batch_job_instance (job_instance_id, version, job_name, job_key) VALUES (:id, 0, 'holdingsSyncJob', 'orphan');
					INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, create_time, start_time, status, exit_code, last_updated)
					VALUES (:id, 1, :id, localtimestamp, localtimestamp, 'STARTED', 'UNKNOWN', localtimestamp);
					INSERT INTO job_execution_owners (job_execution_id, job_name, node_id) VALUES (:id, 'holdingsSyncJob', 'dead-node');
					""").param("id", orphan).update();
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jdbc
				.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = :id").param("id", orphan)
				.query(String.class).single()).isEqualTo("FAILED"));
			// an operator resolved it (a later execution of its instance): the resume query runs and finds nothing
			jdbc.sql("""
					INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, create_time, start_time, end_time, status, exit_code, last_updated)
					VALUES (:later, 1, :id, localtimestamp, localtimestamp, localtimestamp, 'ABANDONED', 'ABANDONED', localtimestamp)
					""").param("later", orphan + 1).param("id", orphan).update();
			JobRuntimeProbe.resumeOrphans(engine);
			engine.getBean(OpsMetrics.class).refresh();

			// the operator's views
			for (String path : List.of("/ops/jobs", "/ops/executions", "/ops/executions?status=FAILED",
					"/ops/executions?job=holdingsSyncJob",
					"/ops/executions?job=holdingsSyncJob&status=FAILED", "/ops/charts/webhooks-per-hour", "/ops/charts/items-synced-per-hour",
					"/ops/webhooks/health", "/ops/freshness", "/ops/executions/" + outcome.jobExecutionId())) {
				HttpResponse<String> view = HttpClient.newHttpClient()
					.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer test-ops-token")
						.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(view.statusCode()).as(path + ": " + view.body()).isEqualTo(200);
			}
			assertThat(jdbc.sql("SELECT orphaned_at IS NOT NULL FROM job_execution_owners WHERE job_execution_id = :id")
				.param("id", orphan).query(Boolean.class).single()).isTrue();
		}

		try (Connection connection = DriverManager.getConnection(url, TestDatabase.username(), "")) {
			String database = connection.getCatalog();
			await().atMost(Duration.ofSeconds(30)).until(() -> otherBackends(connection, database) == 0);
			Map<String, Long> after = sequentialScans(connection);
			Map<String, Long> planned = new LinkedHashMap<>();
			for (String table : LARGE_TABLES) {
				long scans = after.get(table) - before.get(table);
				if (scans > 0) {
					planned.put(table, scans);
				}
			}
			Map<String, String> scanningPlans = new LinkedHashMap<>();
			try (Statement sql = connection.createStatement()) {
				for (String query : HOT_QUERIES) {
					StringBuilder plan = new StringBuilder();
					try (ResultSet rows = sql.executeQuery("EXPLAIN " + query)) {
						while (rows.next()) {
							plan.append(rows.getString(1)).append('\n');
						}
					}
					if (LARGE_TABLES.stream().anyMatch((table) -> plan.toString().contains("Seq Scan on " + table + " "))) {
						scanningPlans.put(query, plan.toString());
					}
				}
			}
			assertThat(scanningPlans).as("hot statements whose plan scans a large table sequentially").isEmpty();
			assertThat(planned).as("sequential scans of large tables while the engine ran its hot paths").isEmpty();
		}
	}

	private static ConfigurableApplicationContext engine(String url) {
		return new SpringApplicationBuilder(PlaidSyncApplication.class).profiles("test")
			.run("--server.port=0", "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
					"--spring.datasource.password=", "--plaidsync.ops.recovery-interval=300ms",
					"--plaidsync.ops.heartbeat-interval=200ms", "--plaidsync.ops.orphan-after=5s", "--plaidsync.ops.auto-resume=false",
					"--plaidsync.ops.metrics-interval=500ms", "--plaidsync.sync.reconcile-interval=300ms",
					"--plaidsync.webhooks.dispatch.claim-interval=300ms",
					"--plaidsync.webhooks.dispatch.completion-check-interval=300ms");
	}

	private static void load(Connection connection) throws SQLException {
		HistoricalExecutions.load(connection, EXECUTIONS, 150_000, 200_000);
		try (Statement sql = connection.createStatement()) {
			// the loader's own scans are counted before the baseline is read: flushed when this backend goes idle
			sql.execute("SELECT pg_stat_force_next_flush()");
		}
	}

	private static Map<String, Long> sequentialScans(Connection connection) throws SQLException {
		Map<String, Long> scans = new LinkedHashMap<>();
		try (Statement sql = connection.createStatement()) {
			sql.execute("SELECT pg_stat_clear_snapshot()");
			try (ResultSet rows = sql.executeQuery("SELECT relname, coalesce(seq_scan, 0) FROM pg_stat_user_tables")) {
				while (rows.next()) {
					scans.put(rows.getString(1), rows.getLong(2));
				}
			}
		}
		return scans;
	}

	private static int otherBackends(Connection connection, String database) throws SQLException {
		try (Statement sql = connection.createStatement(); ResultSet rows = sql.executeQuery(
				"SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database + "' AND pid <> pg_backend_pid()")) {
			rows.next();
			return rows.getInt(1);
		}
	}

}
