package dev.plaidsync.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.plaidsync.PlaidSyncApplication;
import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.sync.LaunchOutcome;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.testsupport.SimulatorControl;
import dev.plaidsync.testsupport.TestDatabase;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The nightly holdings sweep over N items against the simulator running in its own JVM,
 * as Plaid would be.
 * <ol>
 * <li>At 300 ms latency and Plaid's client limit of 2,000 holdings calls a minute: the
 * achieved rate ÷ the sweep's share of that limit (75%).</li>
 * <li>With no latency and no limits: items/s and holdings rows/s, the engine's own
 * ceiling.</li>
 * </ol>
 * Run with {@code mvn -Pbench -DskipTests verify [-Dbench.items=5000]};
 * {@code -Dbench.size=tiny} sweeps 20 items. Fails (exit 1) when a sweep does not
 * complete or leaves an item unsynced.
 */
public final class HoldingsSweepBenchmark {

	private static final String HOLDINGS = "/investments/holdings/get";

	private static final int CLIENT_LIMIT = 2_000;

	private static final double RESERVED_SHARE = 0.25;

	/**
	 * Outside simulator mode user authentication is mandatory; the benchmark's engine
	 * checks HS256 tokens.
	 */
	static final String BENCH_AUTH_SECRET = "a-benchmark-hs256-secret-of-at-least-32-chars";

	/**
	 * HS256 tokens need an issuer, and every token outside simulator mode an audience.
	 */
	static final String BENCH_AUTH_ISSUER = "plaidsync-bench";

	static final String BENCH_AUTH_AUDIENCE = "plaidsync-bench";

	public static void main(String[] args) {
		Benchmarks.run("Holdings sweep benchmark", HoldingsSweepBenchmark::measure);
	}

	private static void measure() throws Exception {
		int items = Benchmarks.size("bench.items", 20, 5_000);
		int port = Benchmarks.freePort();
		Path log = Files.createTempFile("bench-simulator-", ".log");
		Process simulator = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx512m", "-cp", System.getProperty("java.class.path"), "dev.plaidsync.simulator.SimulatorServer",
				"--server.port=" + port, "--plaidsync.simulator.latency=300ms",
				"--plaidsync.simulator.latency-jitter=0ms", "--plaidsync.simulator.first-transactions-latency=0ms",
				"--logging.level.root=warn")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			String simulatorUrl = "http://localhost:" + port;
			Benchmarks.awaitUp(simulatorUrl + "/simulator/control/settings");
			SimulatorControl control = new SimulatorControl(simulatorUrl);
			String database = TestDatabase.newMigratedDatabaseUrl();
			System.out.printf("Holdings sweep benchmark: %d items, %d cores, simulator in its own JVM on port %d%n",
					items, Runtime.getRuntime().availableProcessors(), port);

			Result limited;
			try (ConfigurableApplicationContext engine = engine(database, simulatorUrl, true)) {
				UUID user = engine.getBean(Users.class).idFor("bench-user");
				for (int i = 0; i < items; i++) {
					String institution = List.of("ins_900001", "ins_900002", "ins_900003").get(i % 3);
					SimulatorControl.Item item = control.createItem(institution, "bench-" + i, null);
					TestItems.insert(engine, user, item.itemId(), item.accessToken(), institution);
				}
				control.resetStats();
				limited = sweep(engine);
				requireEverySynced(engine, items);
			}
			long calls = control.calls(HOLDINGS);
			double perMinute = calls / (limited.seconds() / 60.0);
			double sweepShare = CLIENT_LIMIT * (1 - RESERVED_SHARE);
			System.out.printf(
					"1. 300 ms latency, client limit %d/min: %d items in %.1f s, %d holdings calls = %.0f/min; "
							+ "÷ sweep share %.0f/min = %.3f; peak heap %d MiB%n",
					CLIENT_LIMIT, items, limited.seconds(), calls, perMinute, sweepShare, perMinute / sweepShare,
					limited.peakHeapMiB());

			control.setLatency(Duration.ZERO, Duration.ZERO);
			control.setRateLimitsEnabled(false);
			try (ConfigurableApplicationContext engine = engine(database, simulatorUrl, false)) {
				JdbcClient jdbc = engine.getBean(JdbcClient.class);
				jdbc.sql("UPDATE plaid_items SET holdings_synced_at = NULL").update();
				jdbc.sql("DELETE FROM holdings").update();
				Result unlimited = sweep(engine);
				requireEverySynced(engine, items);
				long rows = jdbc.sql("SELECT count(*) FROM holdings").query(Long.class).single();
				System.out.printf(
						"2. no latency, no limits: %d items in %.1f s = %.0f items/s, %d holdings rows = %.0f rows/s; "
								+ "peak heap %d MiB%n",
						items, unlimited.seconds(), items / unlimited.seconds(), rows, rows / unlimited.seconds(),
						unlimited.peakHeapMiB());
			}
		}
		finally {
			simulator.destroy();
			simulator.waitFor();
		}
	}

	private static void requireEverySynced(ConfigurableApplicationContext engine, int items) {
		long synced = engine.getBean(JdbcClient.class)
			.sql("SELECT count(*) FROM plaid_items WHERE holdings_synced_at IS NOT NULL")
			.query(Long.class)
			.single();
		Benchmarks.check(synced == items, "The sweep synced " + synced + " of " + items + " items");
	}

	private static Result sweep(ConfigurableApplicationContext engine) {
		ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
		JdbcClient jdbc = engine.getBean(JdbcClient.class);
		long started = System.nanoTime();
		LaunchOutcome outcome = engine.getBean(SyncLauncher.class)
			.request(SyncJob.HOLDINGS, SyncScope.all(), "bench:" + UUID.randomUUID(),
					SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, Duration.ofHours(20)));
		String status;
		do {
			Benchmarks.sleep(250);
			status = jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = :id")
				.param("id", outcome.jobExecutionId())
				.query(String.class)
				.single();
		}
		while (status.startsWith("START"));
		double seconds = (System.nanoTime() - started) / 1e9;
		if (!"COMPLETED".equals(status)) {
			throw new IllegalStateException("The sweep ended " + status);
		}
		long peak = ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((pool) -> pool.getType() == MemoryType.HEAP)
			.mapToLong((pool) -> pool.getPeakUsage().getUsed())
			.sum();
		return new Result(seconds, peak / (1024 * 1024));
	}

	private static ConfigurableApplicationContext engine(String database, String simulatorUrl, boolean budget) {
		return new SpringApplicationBuilder(PlaidSyncApplication.class).run("--spring.datasource.url=" + database,
				"--spring.datasource.username=" + TestDatabase.username(), "--server.port=0",
				"--management.server.port=0", "--plaid.env=sandbox", "--plaid.client-id=bench", "--plaid.secret=bench",
				"--plaid.base-url=" + simulatorUrl + "/simulator/plaid",
				"--plaid.webhook-url=http://localhost:9/webhook/plaid", "--plaid.budget.enabled=" + budget,
				"--plaidsync.token.key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "--plaidsync.ops.token=bench",
				"--plaidsync.auth.hs256-secret=" + BENCH_AUTH_SECRET, "--plaidsync.auth.issuer=" + BENCH_AUTH_ISSUER,
				"--plaidsync.auth.audience=" + BENCH_AUTH_AUDIENCE, "--plaidsync.demo.users=0",
				"--plaidsync.sync.schedules.holdings=-", "--plaidsync.sync.schedules.balances=-",
				"--plaidsync.sync.schedules.transactions=-", "--plaidsync.sync.schedules.reconcile=-",
				"--plaidsync.sync.schedules.item-check=-", "--logging.level.root=warn",
				"--logging.level.dev.plaidsync=info");
	}

	private record Result(double seconds, long peakHeapMiB) {
	}

}
