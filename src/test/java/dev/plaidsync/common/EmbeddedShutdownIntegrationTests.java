package dev.plaidsync.common;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.plaidsync.testsupport.EngineProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ctrl-C and SIGTERM of an engine on its embedded PostgreSQL: the database stops last,
 * after the web server, the jobs and the pools. Idle, the engine exits within 5 s and
 * logs no warning; busy, its running sweep is recorded STOPPED at a chunk boundary, never
 * left running for orphan recovery.
 */
class EmbeddedShutdownIntegrationTests {

	private static final Pattern EMBEDDED_URL = Pattern
		.compile("Embedded PostgreSQL is up at (jdbc:postgresql://\\S+)");

	private static final Pattern TROUBLE = Pattern.compile("(?m)^\\S+\\s+(WARN|ERROR) .*$");

	private static final String OPS_TOKEN = "shutdown-test-ops-token";

	@TempDir
	Path workDirectory;

	private EngineProcess engine;

	@AfterEach
	void stopEngine() {
		if (this.engine != null) {
			this.engine.close();
		}
	}

	private Map<String, String> environment(int demoUsers) {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return new java.util.HashMap<>(Map.of("PLAIDSYNC_DATA_DIR", this.workDirectory.resolve("data").toString(),
				"PLAIDSYNC_DEMO_USERS", String.valueOf(demoUsers), "PLAIDSYNC_TOKEN_KEY",
				Base64.getEncoder().encodeToString(key), "PLAIDSYNC_OPS_TOKEN", OPS_TOKEN));
	}

	@Test
	void anIdleEngineExitsWithinFiveSecondsWithoutAWarningAndItsPostgresStops() {
		this.engine = EngineProcess.start(this.workDirectory, environment(0)).awaitHealthy(Duration.ofSeconds(180));
		int logBeforeSigterm = this.engine.log().length();
		long postmaster = postmasterPid();

		long started = System.nanoTime();
		assertThat(this.engine.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM").isIn(0, 143);
		Duration took = Duration.ofNanos(System.nanoTime() - started);

		assertThat(took).as("SIGTERM to exit").isLessThan(Duration.ofSeconds(5));
		assertThat(troubleIn(this.engine.log().substring(logBeforeSigterm))).as("warnings after SIGTERM").isEmpty();
		assertThat(this.workDirectory.resolve("data/postgres/postmaster.pid"))
			.as("the embedded PostgreSQL shut down cleanly with the engine")
			.doesNotExist();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> !ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false));
	}

	@Test
	void aBusyEngineStopsItsRunningSweepAtAChunkBoundaryBeforeItsDatabaseStops() throws Exception {
		Map<String, String> environment = environment(15);
		environment.put("PLAIDSYNC_SIMULATOR_LATENCY", "0ms");
		environment.put("PLAIDSYNC_SIMULATOR_LATENCYJITTER", "0ms");
		environment.put("PLAIDSYNC_SYNC_CHUNKSIZE", "3");
		environment.put("PLAIDSYNC_SYNC_FETCHCONCURRENCY", "2");
		environment.put("PLAIDSYNC_SYNC_HOLDINGSMAXAGE", "1ms");
		for (String schedule : List.of("HOLDINGS", "BALANCES", "TRANSACTIONS", "RECONCILE", "ITEMCHECK")) {
			environment.put("PLAIDSYNC_SYNC_SCHEDULES_" + schedule, "-");
		}
		this.engine = EngineProcess.start(this.workDirectory, environment).awaitHealthy(Duration.ofSeconds(180));
		JdbcClient jdbc = JdbcClient.create(new DriverManagerDataSource(embeddedUrl(), "postgres", ""));
		await().atMost(Duration.ofSeconds(180))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> jdbc.sql("SELECT coalesce(bool_and(completed_at IS NOT NULL), false) FROM demo_seeding")
				.query(Boolean.class)
				.single());
		await().atMost(Duration.ofSeconds(180))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> jdbc.sql("SELECT count(*) FROM batch_job_execution WHERE status IN ('STARTING', 'STARTED')")
				.query(Long.class)
				.single() == 0);
		long items = jdbc.sql("SELECT count(*) FROM plaid_items WHERE status = 'ACTIVE'").query(Long.class).single();
		post("/simulator/control/latency", "{\"latency_ms\":400,\"jitter_ms\":0}");
		HttpResponse<String> launched = post("/ops/jobs/holdingsSyncJob/launch", "{\"scope\":\"ALL\"}");
		assertThat(launched.statusCode()).as(launched.body()).isEqualTo(200);
		long sweep = Long.parseLong(launched.body().replaceAll(".*\"jobExecutionId\":(\\d+).*", "$1"));
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> written(jdbc, sweep) >= 3);
		int logBeforeSigterm = this.engine.log().length();

		assertThat(this.engine.terminate(Duration.ofSeconds(60))).as("exit code after SIGTERM").isIn(0, 143);

		String shutdownLog = this.engine.log().substring(logBeforeSigterm);
		assertThat(troubleIn(shutdownLog))
			.as("warnings after SIGTERM, besides the sweep's own end, in:%n%s", shutdownLog)
			.allMatch((line) -> line.contains("holdingsSyncJob #" + sweep + " ended STOPPED"));
		assertThat(shutdownLog).contains("stopping 1 running execution(s) at their next chunk boundary");
		try (EmbeddedPostgresServer database = EmbeddedPostgresServer
			.start(this.workDirectory.resolve("data/postgres"))) {
			JdbcClient after = JdbcClient
				.create(new DriverManagerDataSource(database.jdbcUrl("postgres"), "postgres", ""));
			assertThat(after.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = :id")
				.param("id", sweep)
				.query(String.class)
				.single()).as("the sweep, stopped at a chunk boundary").isEqualTo("STOPPED");
			assertThat(written(after, sweep)).as("items the sweep committed before it stopped")
				.isBetween(3L, items - 1);
			assertThat(after.sql(
					"SELECT stopped_for_shutdown_at IS NOT NULL FROM job_execution_owners WHERE job_execution_id = :id")
				.param("id", sweep)
				.query(Boolean.class)
				.single()).as("recorded as stopped for shutdown, to resume").isTrue();
			assertThat(after
				.sql("SELECT count(*) FROM batch_job_execution WHERE status IN ('STARTING', 'STARTED', 'STOPPING')")
				.query(Long.class)
				.single()).as("executions left looking alive, for orphan recovery").isZero();
		}
	}

	private static long written(JdbcClient jdbc, long execution) {
		return jdbc.sql("SELECT coalesce(sum(write_count), 0) FROM batch_step_execution WHERE job_execution_id = :id")
			.param("id", execution)
			.query(Long.class)
			.single();
	}

	private HttpResponse<String> post(String path, String json) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.engine.baseUrl() + path))
				.header("Content-Type", "application/json")
				.header("Authorization", "Bearer " + OPS_TOKEN)
				.timeout(Duration.ofSeconds(30))
				.POST(HttpRequest.BodyPublishers.ofString(json))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static List<String> troubleIn(String log) {
		Matcher matcher = TROUBLE.matcher(log);
		List<String> lines = new java.util.ArrayList<>();
		while (matcher.find()) {
			lines.add(matcher.group());
		}
		return lines;
	}

	private long postmasterPid() {
		try {
			return Long
				.parseLong(java.nio.file.Files.readAllLines(this.workDirectory.resolve("data/postgres/postmaster.pid"))
					.get(0)
					.trim());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private String embeddedUrl() {
		Matcher matcher = EMBEDDED_URL.matcher(this.engine.log());
		assertThat(matcher.find()).as("the engine logs where its embedded database is").isTrue();
		return matcher.group(1);
	}

}
