package dev.plaidsync.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.plaidsync.PlaidSyncApplication;
import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.plaid.CallPriority;
import dev.plaidsync.plaid.ItemAccess;
import dev.plaidsync.plaid.PlaidGateway;
import dev.plaidsync.sync.LaunchOutcome;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.testsupport.SimulatorControl;
import dev.plaidsync.testsupport.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The holdings sweep against the shared Plaid budget (issue 16), through one node and
 * through two, against the simulator in its own JVM with 300 ms latency and a holdings
 * client limit, as Plaid would have it. Printed in one run, each with its target; the run
 * exits 1 when a target is missed:
 * <ol>
 * <li>sweep steady rate ÷ the whole client limit, no interactive load (≥ 0.95);</li>
 * <li>interactive p99 wait for a permit under a saturating sweep (≤ 1 s), with
 * interactive calls at a quarter of the limit; measured exactly, from the engine's
 * {@code plaid.budget.wait} timer around each call;</li>
 * <li>429s Plaid (the simulator) answered the engine (0);</li>
 * <li>busiest window ÷ the limit, over every window that starts at a call, by arrival
 * time at the simulator (≤ 1);</li>
 * <li>the longest any connection sat idle in a transaction during the sweeps, sampled
 * from pg_stat_activity every 20 ms (≤ 0.2 s);</li>
 * <li>with no latency and no limits (budget off): holdings rows/s (≥ 2 × 15,524).</li>
 * </ol>
 * To keep it quick the limit counts over a window shorter than Plaid's minute, in the
 * simulator and in the engine alike ({@code plaidsync.simulator.limits.window},
 * {@code plaid.budget.window}): 100 calls per 20 s, Plaid's 300/min of the issue's
 * measurement. The engine keeps its default 2% margin, which at a 20 s window tolerates
 * calls spread by 0.2 s on their way to Plaid instead of the 0.61 s of a real minute: the
 * busiest-window figure is the stricter for it.
 * <p>
 * Run with
 * {@code mvn -Pbench -DskipTests verify -Dbench.main=dev.plaidsync.bench.SweepBudgetBenchmark}
 * ({@code -Dbench.items=5000}: the items of the rows/s phase). The rows/s phase also
 * prints the CPU seconds per 1,000 rows of the engine, the simulator and PostgreSQL. To
 * run that phase alone, give the benchmark's JVM {@code -Dbench.phases=rows} (for example
 * through {@code JAVA_TOOL_OPTIONS}); {@code -Dbench.items-per-user=N} changes how its
 * items are spread over users (2). {@code -Dbench.size=tiny} goes through every phase in
 * a few minutes (25 calls per 5 s window, 50 items for rows/s) and judges nothing but
 * that every phase ran and every figure was measured: at that size the figures are noise
 * (the burst's rounding alone holds the rate to 0.92).
 */
public final class SweepBudgetBenchmark {

	private static final String HOLDINGS = "/investments/holdings/get";

	private static final double BASELINE_ROWS_PER_SECOND = 15_524;

	/**
	 * Items per user in the rows/s phase: users link one or a few; one user with
	 * thousands would be no one's case.
	 */
	private static final int ITEMS_PER_USER = Integer.getInteger("bench.items-per-user", 2);

	private static final String BENCH_AUTH_SECRET = "a-benchmark-hs256-secret-of-at-least-32-chars";

	private final boolean tiny = "tiny".equalsIgnoreCase(System.getProperty("bench.size", "full"));

	private final Duration window = this.tiny ? Duration.ofSeconds(5) : Duration.ofSeconds(20);

	private final int limit = this.tiny ? 25 : 100;

	/** Items per sweep: three windows' worth of the limit (tiny: two). */
	private final int sweepItems = (this.tiny ? 2 : 3) * this.limit;

	private final int rowItems = this.tiny ? 50 : Integer.getInteger("bench.items", 5_000);

	private final List<String> failures = new ArrayList<>();

	private SimulatorControl control;

	private String simulatorUrl;

	private String database;

	private long simulatorPid;

	public static void main(String[] args) {
		int exit;
		try {
			exit = new SweepBudgetBenchmark().run();
		}
		catch (Throwable failure) {
			System.out.flush();
			System.err.println("Sweep budget benchmark FAILED: " + failure);
			failure.printStackTrace();
			exit = 1;
		}
		System.out.flush();
		System.err.flush();
		System.exit(exit);
	}

	private int run() throws Exception {
		int port = Benchmarks.freePort();
		Path log = Files.createTempFile("bench-simulator-", ".log");
		Process simulator = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx512m", "-cp", System.getProperty("java.class.path"), "dev.plaidsync.simulator.SimulatorServer",
				"--server.port=" + port, "--plaidsync.simulator.latency=300ms",
				"--plaidsync.simulator.latency-jitter=0ms", "--plaidsync.simulator.first-transactions-latency=0ms",
				"--plaidsync.simulator.limits.window=" + this.window.toMillis() + "ms",
				"--plaidsync.simulator.limits.holdings-per-client=" + this.limit,
				"--plaidsync.simulator.limits.holdings-per-item=1000", "--logging.level.root=warn")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			this.simulatorPid = simulator.pid();
			this.simulatorUrl = "http://localhost:" + port;
			Benchmarks.awaitUp(this.simulatorUrl + "/simulator/control/settings");
			this.control = new SimulatorControl(this.simulatorUrl);
			this.database = TestDatabase.newMigratedDatabaseUrl();
			System.out.printf(
					"Sweep budget benchmark%s: %d cores; simulator in its own JVM, 300 ms latency, holdings "
							+ "limit %d per %d s window (= %d/min); %d items per sweep%n",
					this.tiny ? " (tiny)" : "", Runtime.getRuntime().availableProcessors(), this.limit,
					this.window.toSeconds(), this.limit * 60 / this.window.toSeconds(), this.sweepItems);

			if (!"rows".equals(System.getProperty("bench.phases", "all"))) {
				budgetPhases();
			}
			rowsPerSecond();
		}
		finally {
			simulator.destroy();
			simulator.waitFor();
		}
		if (this.tiny) {
			System.out
				.println("Tiny run: every phase ran and every figure was measured; targets are judged at full size"
						+ (this.failures.isEmpty() ? "" : " (missed at this size: " + this.failures + ")"));
			return 0;
		}
		if (!this.failures.isEmpty()) {
			System.out.println("Targets missed: " + this.failures);
			return 1;
		}
		System.out.println("Every target met");
		return 0;
	}

	/**
	 * The sweep through one node, then through two, each alone and then with interactive
	 * calls alongside.
	 */
	private void budgetPhases() throws Exception {
		List<ItemAccess> items = new ArrayList<>();
		try (ConfigurableApplicationContext nodeA = engine(true); ConfigurableApplicationContext nodeB = engine(true)) {
			UUID[] users = { nodeA.getBean(Users.class).idFor("bench-a"), nodeA.getBean(Users.class).idFor("bench-b") };
			for (int i = 0; i < this.sweepItems; i++) {
				String institution = List.of("ins_900001", "ins_900002", "ins_900003").get(i % 3);
				SimulatorControl.Item item = this.control.createItem(institution, "budget-" + i, null);
				TestItems.insert(nodeA, users[i % 2], item.itemId(), item.accessToken(), institution);
				items.add(new ItemAccess(item.itemId(), institution, item.accessToken()));
			}
			measure("one node ", List.of(nodeA), List.of(SyncScope.all()), items);
			measure("two nodes", List.of(nodeA, nodeB), List.of(SyncScope.user(users[0]), SyncScope.user(users[1])),
					items);
		}
	}

	/**
	 * A sweep alone, then a sweep with interactive calls alongside, through the given
	 * nodes.
	 */
	private void measure(String topology, List<ConfigurableApplicationContext> nodes, List<SyncScope> scopes,
			List<ItemAccess> items) throws Exception {
		try (IdleInTransaction idle = new IdleInTransaction(this.database)) {
			this.control.resetStats();
			sweep(nodes, scopes);
			List<Instant> alone = this.control.callTimes(HOLDINGS);
			long rejectedAlone = rejections();

			this.control.resetStats();
			List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
			AtomicBoolean sweeping = new AtomicBoolean(true);
			ExecutorService drivers = Executors.newFixedThreadPool(nodes.size());
			List<Future<?>> driving = new ArrayList<>();
			for (ConfigurableApplicationContext node : nodes) {
				driving.add(drivers.submit(() -> interactiveCalls(node, items, nodes.size(), sweeping, waits)));
			}
			sweep(nodes, scopes);
			sweeping.set(false);
			for (Future<?> driver : driving) {
				driver.get();
			}
			drivers.shutdown();
			List<Instant> mixed = this.control.callTimes(HOLDINGS);
			long rejected = rejectedAlone + rejections();

			Require.nonEmpty(alone, "no holdings call reached the simulator in the sweep alone");
			Require.nonEmpty(waits, "no interactive call was made");
			double rate = (alone.size() - 1) / seconds(alone) / (this.limit / (double) this.window.toSeconds());
			List<Duration> sorted = new ArrayList<>(waits);
			Collections.sort(sorted);
			Duration p99 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
			int busiest = Math.max(busiestWindow(alone), busiestWindow(mixed));
			double longestIdle = idle.longestSeconds();
			System.out.printf("%s: sweep steady rate ÷ whole limit %.3f (target ≥ 0.95; %d calls over %.1f s)%n",
					topology, rate, alone.size(), seconds(alone));
			System.out.printf(
					"%s: interactive p99 wait %.3f s (target ≤ 1 s; %d calls at a quarter of the limit, max %.3f s)"
							+ "%n",
					topology, p99.toNanos() / 1e9, waits.size(), sorted.get(sorted.size() - 1).toNanos() / 1e9);
			System.out.printf("%s: 429s from the simulator %d (target 0)%n", topology, rejected);
			System.out.printf("%s: busiest %d s window ÷ limit %.2f (%d of %d; target ≤ 1)%n", topology,
					this.window.toSeconds(), busiest / (double) this.limit, busiest, this.limit);
			System.out.printf("%s: longest idle in transaction %.3f s (target ≤ 0.2 s; %d samples)%n", topology,
					longestIdle, idle.samples());
			judge(rate >= 0.95, topology.trim() + ": sweep rate " + String.format("%.3f", rate));
			judge(p99.compareTo(Duration.ofSeconds(1)) <= 0, topology.trim() + ": interactive p99 " + p99);
			judge(rejected == 0, topology.trim() + ": " + rejected + " 429s");
			judge(busiest <= this.limit, topology.trim() + ": busiest window " + busiest + " of " + this.limit);
			judge(longestIdle <= 0.2, topology.trim() + ": idle in transaction " + longestIdle + " s");
		}
	}

	/** Each node launches its sweep, at once; returns when every one completed. */
	private void sweep(List<ConfigurableApplicationContext> nodes, List<SyncScope> scopes) {
		nodes.get(0).getBean(JdbcClient.class).sql("UPDATE plaid_items SET holdings_synced_at = NULL").update();
		List<Long> executions = new ArrayList<>();
		for (int i = 0; i < nodes.size(); i++) {
			LaunchOutcome outcome = nodes.get(i)
				.getBean(SyncLauncher.class)
				.request(SyncJob.HOLDINGS, scopes.get(i), "bench:" + UUID.randomUUID(),
						SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, Duration.ofHours(20)));
			Require.that(outcome.jobExecutionId() != null, "the sweep did not start: " + outcome);
			executions.add(outcome.jobExecutionId());
		}
		JdbcClient jdbc = nodes.get(0).getBean(JdbcClient.class);
		for (Long execution : executions) {
			String status;
			do {
				Benchmarks.sleep(200);
				status = jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = :id")
					.param("id", execution)
					.query(String.class)
					.single();
			}
			while (status.startsWith("START"));
			Require.that("COMPLETED".equals(status), "a sweep ended " + status);
		}
	}

	/**
	 * One driver per node, calls one after another at random (exponential) intervals,
	 * together a quarter of the limit, each timed by the difference of the node's
	 * interactive holdings wait timer around it: nothing else on that node makes
	 * interactive holdings calls.
	 */
	private void interactiveCalls(ConfigurableApplicationContext node, List<ItemAccess> items, int nodes,
			AtomicBoolean sweeping, List<Duration> waits) {
		PlaidGateway gateway = node.getBean(PlaidGateway.class);
		Timer wait = node.getBean(MeterRegistry.class)
			.timer("plaid.budget.wait", "endpoint", "holdings", "priority", "interactive");
		double meanGapSeconds = this.window.toSeconds() / (this.limit * 0.25 / nodes);
		while (sweeping.get()) {
			Benchmarks.sleep((long) (-Math.log(1 - ThreadLocalRandom.current().nextDouble()) * meanGapSeconds * 1000));
			if (!sweeping.get()) {
				return;
			}
			double before = wait.totalTime(TimeUnit.NANOSECONDS);
			gateway.holdings(items.get(ThreadLocalRandom.current().nextInt(items.size())), CallPriority.INTERACTIVE);
			waits.add(Duration.ofNanos((long) (wait.totalTime(TimeUnit.NANOSECONDS) - before)));
		}
	}

	/**
	 * Holdings rows/s with no latency and no limits, through one node, over items spread
	 * two to a user (as users link them), in a database of its own; with the CPU time
	 * each process spent per 1,000 rows (the engine, that is this JVM; the simulator's
	 * JVM; every PostgreSQL process), far steadier than wall time on a loaded machine.
	 */
	private void rowsPerSecond() throws Exception {
		this.control.setLatency(Duration.ZERO, Duration.ZERO);
		this.control.setRateLimitsEnabled(false);
		this.database = TestDatabase.newMigratedDatabaseUrl();
		try (ConfigurableApplicationContext node = engine(false)) {
			JdbcClient jdbc = node.getBean(JdbcClient.class);
			Users users = node.getBean(Users.class);
			UUID user = null;
			for (int i = 0; i < this.rowItems; i++) {
				if (i % ITEMS_PER_USER == 0) {
					user = users.idFor("bench-rows-" + i / ITEMS_PER_USER);
				}
				String institution = List.of("ins_900001", "ins_900002", "ins_900003").get(i % 3);
				SimulatorControl.Item item = this.control.createItem(institution, "rows-" + i, null);
				TestItems.insert(node, user, item.itemId(), item.accessToken(), institution);
			}
			CpuTime cpu = new CpuTime(this.simulatorPid, postmasterPid(jdbc));
			double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
			CpuTime.Sample before = cpu.sample();
			long started = System.nanoTime();
			sweep(List.of(node), List.of(SyncScope.all()));
			double seconds = (System.nanoTime() - started) / 1e9;
			CpuTime.Sample after = cpu.sample();
			long rows = jdbc.sql("SELECT count(*) FROM holdings").query(Long.class).single();
			Require.that(rows > 0, "the rows/s sweep stored no holdings");
			double perSecond = rows / seconds;
			System.out.printf(
					"no latency, no limits: %d items (%d per user), %d holdings rows in %.1f s = %.0f rows/s = "
							+ "%.2f × %,.0f (target ≥ 2; load average %.1f before, %.1f after)%n",
					this.rowItems, ITEMS_PER_USER, rows, seconds, perSecond, perSecond / BASELINE_ROWS_PER_SECOND,
					BASELINE_ROWS_PER_SECOND, load,
					ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
			double engine = after.engine() - before.engine();
			double simulator = after.simulator() - before.simulator();
			double postgres = after.postgres() - before.postgres();
			System.out.printf(
					"no latency, no limits: CPU s per 1,000 rows: engine %.3f, simulator %.3f, PostgreSQL %.3f, "
							+ "total %.3f (%.1f CPU s over %.1f s wall: %.2f cores busy)%n",
					1000 * engine / rows, 1000 * simulator / rows, 1000 * postgres / rows,
					1000 * (engine + simulator + postgres) / rows, engine + simulator + postgres, seconds,
					(engine + simulator + postgres) / seconds);
			judge(perSecond >= 2 * BASELINE_ROWS_PER_SECOND, "rows/s " + Math.round(perSecond));
		}
	}

	/**
	 * The PostgreSQL server's main process, from {@code postmaster.pid} in its data
	 * directory.
	 */
	private static long postmasterPid(JdbcClient jdbc) throws java.io.IOException {
		String dataDirectory = jdbc.sql("SHOW data_directory").query(String.class).single();
		return Long.parseLong(Files.readAllLines(Path.of(dataDirectory, "postmaster.pid")).get(0).strip());
	}

	/**
	 * CPU seconds (user + system) from {@code /proc/<pid>/stat}: this JVM; the
	 * simulator's; PostgreSQL's main process with its live children plus the children it
	 * has reaped (backends and workers that exited).
	 */
	private static final class CpuTime {

		private final long simulator;

		private final long postmaster;

		private final double ticksPerSecond;

		CpuTime(long simulator, long postmaster) throws Exception {
			this.simulator = simulator;
			this.postmaster = postmaster;
			Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
			String ticks = new String(getconf.getInputStream().readAllBytes()).strip();
			getconf.waitFor();
			this.ticksPerSecond = ticks.isEmpty() ? 100 : Double.parseDouble(ticks);
		}

		record Sample(double engine, double simulator, double postgres) {
		}

		Sample sample() {
			double postgres = seconds(this.postmaster, true) + ProcessHandle.of(this.postmaster)
				.map((server) -> server.descendants().mapToDouble((child) -> seconds(child.pid(), false)).sum())
				.orElse(0.0);
			return new Sample(seconds(ProcessHandle.current().pid(), false), seconds(this.simulator, false), postgres);
		}

		private double seconds(long pid, boolean withReapedChildren) {
			try {
				String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
				// fields after the command, which is in parentheses: state is field 3,
				// utime 14, stime 15, cutime 16, cstime 17
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
				if (withReapedChildren) {
					ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
				}
				return ticks / this.ticksPerSecond;
			}
			catch (java.io.IOException | RuntimeException gone) {
				return 0;
			}
		}

	}

	private void judge(boolean met, String failure) {
		if (!met) {
			this.failures.add(failure);
		}
	}

	private long rejections() {
		return this.control.stats().path("rate_limit_rejections").path(HOLDINGS).asLong(0);
	}

	private ConfigurableApplicationContext engine(boolean budget) {
		return new SpringApplicationBuilder(PlaidSyncApplication.class).run("--spring.datasource.url=" + this.database,
				"--spring.datasource.username=" + TestDatabase.username(), "--server.port=0", "--plaid.env=sandbox",
				"--plaid.client-id=bench", "--plaid.secret=bench",
				"--plaid.base-url=" + this.simulatorUrl + "/simulator/plaid",
				"--plaid.webhook-url=http://localhost:9/webhook/plaid", "--plaid.budget.enabled=" + budget,
				"--plaid.budget.window=" + this.window.toMillis() + "ms",
				"--plaid.budget.client-limits-per-minute.holdings=" + this.limit,
				"--plaid.budget.item-limits-per-minute.holdings=1000",
				"--plaidsync.token.key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "--plaidsync.ops.token=bench",
				"--plaidsync.auth.hs256-secret=" + BENCH_AUTH_SECRET,
				"--plaidsync.auth.issuer=" + HoldingsSweepBenchmark.BENCH_AUTH_ISSUER,
				"--plaidsync.auth.audience=" + HoldingsSweepBenchmark.BENCH_AUTH_AUDIENCE, "--management.server.port=0",
				"--plaidsync.demo.users=0", "--plaidsync.sync.schedules.holdings=-",
				"--plaidsync.sync.schedules.balances=-", "--plaidsync.sync.schedules.transactions=-",
				"--plaidsync.sync.schedules.reconcile=-", "--plaidsync.sync.schedules.item-check=-",
				"--logging.level.root=warn");
	}

	private double seconds(List<Instant> calls) {
		return Math.max(0.001, Duration.between(calls.get(0), calls.get(calls.size() - 1)).toMillis() / 1000.0);
	}

	/**
	 * The most calls that arrived within any one window, over every window that starts at
	 * a call.
	 */
	private int busiestWindow(List<Instant> calls) {
		int busiest = 0;
		int end = 0;
		for (int start = 0; start < calls.size(); start++) {
			Instant until = calls.get(start).plus(this.window);
			while (end < calls.size() && calls.get(end).isBefore(until)) {
				end++;
			}
			busiest = Math.max(busiest, end - start);
		}
		return busiest;
	}

	/**
	 * Samples pg_stat_activity every 20 ms on a connection of its own, for the longest
	 * idle-in-transaction spell.
	 */
	private static final class IdleInTransaction implements AutoCloseable {

		private final Connection connection;

		private final Thread sampler;

		private final AtomicLong longestMicros = new AtomicLong();

		private final AtomicLong samples = new AtomicLong();

		private volatile boolean running = true;

		IdleInTransaction(String url) throws Exception {
			this.connection = DriverManager.getConnection(url, TestDatabase.username(), "");
			this.sampler = new Thread(this::sample, "idle-in-transaction-sampler");
			this.sampler.setDaemon(true);
			this.sampler.start();
		}

		private void sample() {
			String query = """
					SELECT coalesce(max(extract(epoch FROM clock_timestamp() - state_change)), 0) * 1000000
					FROM pg_stat_activity
					WHERE state LIKE 'idle in transaction%' AND datname = current_database()""";
			try (Statement statement = this.connection.createStatement()) {
				while (this.running) {
					try (ResultSet result = statement.executeQuery(query)) {
						result.next();
						this.longestMicros.accumulateAndGet(result.getLong(1), Math::max);
						this.samples.incrementAndGet();
					}
					Thread.sleep(20);
				}
			}
			catch (Exception ex) {
				if (this.running) {
					System.err.println("idle-in-transaction sampler stopped: " + ex);
				}
			}
		}

		double longestSeconds() {
			return this.longestMicros.get() / 1e6;
		}

		long samples() {
			return this.samples.get();
		}

		@Override
		public void close() throws Exception {
			this.running = false;
			this.sampler.join(5_000);
			this.connection.close();
		}

	}

	private static final class Require {

		static void that(boolean condition, String failure) {
			if (!condition) {
				throw new IllegalStateException(failure);
			}
		}

		static void nonEmpty(List<?> list, String failure) {
			that(!list.isEmpty(), failure);
		}

	}

}
