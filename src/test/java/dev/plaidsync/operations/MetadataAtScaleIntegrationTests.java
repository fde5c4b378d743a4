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
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.PlaidSyncApplication;
import dev.plaidsync.common.Page;
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
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One million historical job executions (five days of webhook-driven single-item runs for
 * 150,000 items) and 200,000 webhook events, loaded with generate_series and analyzed.
 * Then an engine runs its hot paths on them for real: a verified webhook dispatched,
 * launched and ended by the inbox, a user's run through the launcher, orphan recovery
 * marking a dead node's execution and looking for resumable ones, the alert metrics, the
 * operator's execution lists and charts, and every background loop at a short interval.
 * PostgreSQL's own counters must then show that not one of those statements planned a
 * sequential scan of a large table: each planned scan would read millions of rows every
 * few seconds on every node. The hot statements (as the engine writes them, with
 * representative values) are also EXPLAINed, and the test fails on any plan with a
 * sequential scan of a large table, including statements of paths this run did not happen
 * to take: the statements production runs, read from the classes that run them, never
 * copies.
 */
class MetadataAtScaleIntegrationTests {

	private static final int EXECUTIONS = 1_000_000;

	private static final List<String> LARGE_TABLES = List.of("batch_job_instance", "batch_job_execution",
			"batch_job_execution_params", "batch_step_execution", "job_execution_owners", "plaid_webhook_events");

	/**
	 * The hot statements as production runs them (the text its classes run, not a copy),
	 * each with representative values for its parameters; Spring Batch's own by the
	 * constants its DAOs run.
	 */
	private static final List<HotStatement> HOT_STATEMENTS = List.of(
			new HotStatement(JobRuntimeProbe.STARTED_HERE, Map.of("node", "n1")),
			new HotStatement(JobRuntimeProbe.ORPHANS, Map.of("after", 5.0)),
			new HotStatement(JobRuntimeProbe.FREE_ENDED_RUNS, Map.of()),
			new HotStatement(JobRuntimeProbe.LAST_PER_JOB,
					Map.of("jobs", List.of("holdingsSyncJob", "transactionsSyncJob"))),
			HotStatement.batch("JdbcJobInstanceDao", "FIND_LAST_JOB_INSTANCE_BY_JOB_NAME", "holdingsSyncJob",
					"holdingsSyncJob"),
			HotStatement.batch("JdbcJobExecutionDao", "GET_RUNNING_EXECUTION_FOR_INSTANCE", "holdingsSyncJob"),
			new HotStatement(JobRuntimeProbe.RESUMABLE, Map.of()),
			new HotStatement(JobRuntimeProbe.COUNT_EXECUTIONS, filters(null, "FAILED", "cap", Page.COUNT_LIMIT)),
			new HotStatement(JobRuntimeProbe.COUNT_EXECUTIONS,
					filters("holdingsSyncJob", null, "cap", Page.COUNT_LIMIT)),
			new HotStatement(JobRuntimeProbe.COUNT_EXECUTIONS,
					filters("holdingsSyncJob", "FAILED", "cap", Page.COUNT_LIMIT)),
			new HotStatement(JobRuntimeProbe.FIND_EXECUTIONS, withPage(filters(null, "FAILED", "limit", 50))),
			new HotStatement(JobRuntimeProbe.FIND_EXECUTIONS,
					withPage(filters("holdingsSyncJob", "FAILED", "limit", 50))),
			new HotStatement(JobRuntimeProbe.ITEMS_SYNCED_PER_HOUR, Map.of()),
			new HotStatement(JobRuntimeProbe.ABANDONED_REQUESTS, Map.of("after", 120.0)),
			new HotStatement(JobRuntimeProbe.UNRESOLVED_FAILURES, Map.of()),
			new HotStatement(JobRuntimeProbe.LAST_SCHEDULED_COMPLETIONS, Map.of()));

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

			// a verified webhook: stored, dispatched, launched, and ended by the inbox's
			// completion sweep
			byte[] body = ("{\n  \"environment\": \"sandbox\",\n  \"error\": null,\n  \"item_id\": \"" + itemId
					+ "\",\n  \"new_holdings\": 1,\n  \"updated_holdings\": 0,\n  \"webhook_code\": \"DEFAULT_UPDATE\",\n"
					+ "  \"webhook_type\": \"HOLDINGS\"\n}")
				.getBytes(StandardCharsets.UTF_8);
			HttpResponse<String> answer = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(base + "/webhook/plaid"))
					.header("Content-Type", "application/json")
					.header("Plaid-Verification", engine.getBean(PlaidSimulator.class).signWebhook(body).verification())
					.POST(HttpRequest.BodyPublishers.ofByteArray(body))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(
						() -> assertThat(jdbc.sql("SELECT status FROM plaid_webhook_events WHERE item_id = :item")
							.param("item", itemId)
							.query(String.class)
							.single()).isEqualTo("DONE"));

			// a user's run through the launcher
			LaunchOutcome outcome = engine.getBean(SyncLauncher.class)
				.request(SyncJob.TRANSACTIONS, SyncScope.item(itemId), "scale-test",
						SyncOptions.interactive(SyncOptions.TransactionsWindow.ROUTINE));
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(
						() -> assertThat(jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = :id")
							.param("id", outcome.jobExecutionId())
							.query(String.class)
							.single()).isEqualTo("COMPLETED"));

			// a dead node's execution is found and marked orphaned by the recovery loop
			long orphan = EXECUTIONS + 100;
			jdbc.sql(
					"""
							INSERT INTO engine_nodes (node_id, host, last_seen_at) VALUES ('dead-node', 'gone', now() - interval '1 hour');
							INSERT INTO batch_job_instance (job_instance_id, version, job_name, job_key) VALUES (:id, 0, 'holdingsSyncJob', 'orphan');
							INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, create_time, start_time, status, exit_code, last_updated)
							VALUES (:id, 1, :id, localtimestamp, localtimestamp, 'STARTED', 'UNKNOWN', localtimestamp);
							INSERT INTO job_execution_owners (job_execution_id, job_name, node_id) VALUES (:id, 'holdingsSyncJob', 'dead-node');
							""")
				.param("id", orphan)
				.update();
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(
						() -> assertThat(jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = :id")
							.param("id", orphan)
							.query(String.class)
							.single()).isEqualTo("FAILED"));
			// an operator resolved it (a later execution of its instance): the resume
			// query runs and finds nothing
			jdbc.sql(
					"""
							INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, create_time, start_time, end_time, status, exit_code, last_updated)
							VALUES (:later, 1, :id, localtimestamp, localtimestamp, localtimestamp, 'ABANDONED', 'ABANDONED', localtimestamp)
							""")
				.param("later", orphan + 1)
				.param("id", orphan)
				.update();
			JobRuntimeProbe.resumeOrphans(engine);
			engine.getBean(OpsMetrics.class).refresh();

			// the operator's views
			for (String path : List.of("/ops/jobs", "/ops/executions", "/ops/executions?status=FAILED",
					"/ops/executions?job=holdingsSyncJob", "/ops/executions?job=holdingsSyncJob&status=FAILED",
					"/ops/charts/webhooks-per-hour", "/ops/charts/items-synced-per-hour", "/ops/webhooks/health",
					"/ops/freshness", "/ops/executions/" + outcome.jobExecutionId())) {
				HttpResponse<String> view = HttpClient.newHttpClient()
					.send(HttpRequest.newBuilder(URI.create(base + path))
						.header("Authorization", "Bearer test-ops-token")
						.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(view.statusCode()).as(path + ": " + view.body()).isEqualTo(200);
			}
			assertThat(jdbc.sql("SELECT orphaned_at IS NOT NULL FROM job_execution_owners WHERE job_execution_id = :id")
				.param("id", orphan)
				.query(Boolean.class)
				.single()).isTrue();
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
			JdbcClient explain = JdbcClient.create(new SingleConnectionDataSource(connection, true));
			for (HotStatement statement : HOT_STATEMENTS) {
				String plan = String.join("\n", statement.explain(explain));
				if (LARGE_TABLES.stream().anyMatch((table) -> plan.contains("Seq Scan on " + table + " "))) {
					scanningPlans.put(statement.sql(), plan);
				}
			}
			assertThat(scanningPlans).as("hot statements whose plan scans a large table sequentially").isEmpty();
			assertThat(planned).as("sequential scans of large tables while the engine ran its hot paths").isEmpty();
		}
	}

	private static Map<String, Object> filters(String job, String status, String limitName, int limit) {
		Map<String, Object> filters = new HashMap<>();
		filters.put("job", job);
		filters.put("status", status);
		filters.put("from", null);
		filters.put("to", null);
		filters.put(limitName, limit);
		return filters;
	}

	private static Map<String, Object> withPage(Map<String, Object> filters) {
		filters.put("offset", 0);
		return filters;
	}

	/** A statement with named parameters, or Spring Batch's with positional ones. */
	private record HotStatement(String sql, Map<String, ?> named, List<?> positional) {

		HotStatement(String sql, Map<String, ?> named) {
			this(sql, named, List.of());
		}

		/**
		 * The statement Spring Batch's DAO runs, read from its constant as Batch prefixes
		 * it.
		 */
		static HotStatement batch(String dao, String constant, Object... parameters) {
			try {
				Field field = Class.forName("org.springframework.batch.core.repository.dao.jdbc." + dao)
					.getDeclaredField(constant);
				field.setAccessible(true);
				String sql = ((String) field.get(null)).replace("%PREFIX%", "BATCH_");
				return new HotStatement(sql, Map.of(), List.of(parameters));
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException("Spring Batch no longer has " + dao + "." + constant, ex);
			}
		}

		List<String> explain(JdbcClient jdbc) {
			JdbcClient.StatementSpec explain = jdbc.sql("EXPLAIN " + this.sql);
			explain = this.positional.isEmpty() ? explain.params(this.named) : explain.params(this.positional);
			return explain.query(String.class).list();
		}

	}

	private static ConfigurableApplicationContext engine(String url) {
		return new SpringApplicationBuilder(PlaidSyncApplication.class).profiles("test")
			.run("--server.port=0", "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
					"--spring.datasource.password=", "--plaidsync.ops.recovery-interval=300ms",
					"--plaidsync.ops.heartbeat-interval=200ms", "--plaidsync.ops.orphan-after=5s",
					"--plaidsync.ops.auto-resume=false", "--plaidsync.ops.metrics-interval=500ms",
					"--plaidsync.sync.reconcile-interval=300ms", "--plaidsync.webhooks.dispatch.claim-interval=300ms",
					"--plaidsync.webhooks.dispatch.completion-check-interval=300ms");
	}

	private static void load(Connection connection) throws SQLException {
		HistoricalExecutions.load(connection, EXECUTIONS, 150_000, 200_000);
		try (Statement sql = connection.createStatement()) {
			// the loader's own scans are counted before the baseline is read: flushed
			// when this backend goes idle
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
		try (Statement sql = connection.createStatement();
				ResultSet rows = sql.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database
						+ "' AND pid <> pg_backend_pid()")) {
			rows.next();
			return rows.getInt(1);
		}
	}

}
