package dev.plaidsync.sync.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.plaidsync.PlaidSyncApplication;
import dev.plaidsync.common.EmbeddedPostgresServer;
import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.simulator.SimAccount;
import dev.plaidsync.simulator.SimItem;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncRuns;
import dev.plaidsync.sync.SyncScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine's PostgreSQL stops in the middle of an ALL-scope holdings sweep, for longer
 * than the pool waits for a connection, so Batch cannot record how the step ended and the
 * execution stays STARTED with no thread running it, on a node that stays alive. Once the
 * database is back, that node fails the execution as stranded and resumes it; the resumed
 * execution completes with every item fresh and no duplicate holdings.
 */
class StrandedExecutionIntegrationTests {

	private static final int ITEMS = 200;

	@TempDir
	Path workDirectory;

	private EmbeddedPostgresServer database;

	private ConfigurableApplicationContext engine;

	@AfterEach
	void stop() throws Exception {
		if (this.engine != null) {
			this.engine.close();
		}
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void anExecutionLeftStartedByADatabaseOutageIsFailedAsStrandedAndResumedToCompletion() throws Exception {
		Path data = this.workDirectory.resolve("postgres");
		this.database = EmbeddedPostgresServer.start(data);
		int port = this.database.port();
		String url = this.database.jdbcUrl("postgres");
		this.engine = new SpringApplicationBuilder(PlaidSyncApplication.class).profiles("test")
			.run("--server.port=0", "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
					"--spring.datasource.password=", "--spring.datasource.hikari.connection-timeout=1000",
					"--plaidsync.ops.recovery-interval=1s", "--plaidsync.sync.chunk-size=10",
					"--plaidsync.sync.fetch-concurrency=4");
		PlaidSimulator simulator = this.engine.getBean(PlaidSimulator.class);
		UUID user = this.engine.getBean(Users.class).idFor("stranded-" + UUID.randomUUID());
		List<String> items = TestItems.create(this.engine, user, ITEMS, "ins_900001", "stranded");
		JdbcClient jdbc = JdbcClient.create(new DriverManagerDataSource(url, "postgres", ""));
		simulator.setLatency(Duration.ofMillis(100), Duration.ZERO);

		SyncRuns runs = new SyncRuns(this.engine.getBean(SyncLauncher.class), this.engine.getBean(JdbcClient.class));
		long sweep = runs.start(SyncJob.HOLDINGS, SyncScope.all(),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, null));
		await().dontCatchUncaughtExceptions()
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> synced(jdbc) >= 30);

		this.database.close();
		// Down until the sweep's thread has ended: it could record neither the step's
		// failure nor the job's end.
		ExecutionOwnership ownership = this.engine.getBean(ExecutionOwnership.class);
		await().dontCatchUncaughtExceptions()
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> !ownership.runningHere().contains(sweep));
		this.database = EmbeddedPostgresServer.start(data, port);
		simulator.setLatency(Duration.ZERO, Duration.ZERO);

		await().dontCatchUncaughtExceptions()
			.atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> jdbc.sql("SELECT resumed_as FROM job_execution_owners WHERE job_execution_id = :id")
				.param("id", sweep)
				.query(Long.class)
				.optional()
				.isPresent());
		assertThat(jdbc.sql("SELECT stranded_at IS NOT NULL FROM job_execution_owners WHERE job_execution_id = :id")
			.param("id", sweep)
			.query(Boolean.class)
			.single()).as("failed as stranded, not as an orphan").isTrue();
		assertThat(
				jdbc.sql("SELECT status || ' ' || exit_message FROM batch_job_execution WHERE job_execution_id = :id")
					.param("id", sweep)
					.query(String.class)
					.single())
			.startsWith("FAILED Stranded");
		long resumed = jdbc.sql("SELECT resumed_as FROM job_execution_owners WHERE job_execution_id = :id")
			.param("id", sweep)
			.query(Long.class)
			.single();
		assertThat(new SyncRuns(this.engine.getBean(SyncLauncher.class), jdbc).awaitEnd(resumed))
			.isEqualTo("COMPLETED");

		assertThat(synced(jdbc)).as("items synced").isEqualTo(ITEMS);
		assertThat(jdbc.sql("SELECT count(*) FROM holdings WHERE user_id = :user")
			.param("user", user)
			.query(Long.class)
			.single()).as("no duplicate or missing holdings").isEqualTo(expectedHoldings(simulator, items));
	}

	private static long synced(JdbcClient jdbc) {
		return jdbc.sql("SELECT count(*) FROM plaid_items WHERE holdings_synced_at IS NOT NULL")
			.query(Long.class)
			.single();
	}

	private static long expectedHoldings(PlaidSimulator simulator, List<String> items) {
		long total = 0;
		for (String itemId : items) {
			SimItem item = simulator.item(itemId);
			Set<String> investment = item.accounts()
				.stream()
				.filter((account) -> "investment".equals(account.type()))
				.map(SimAccount::accountId)
				.collect(Collectors.toSet());
			total += item.holdings().stream().filter((holding) -> investment.contains(holding.accountId())).count();
		}
		return total;
	}

}
