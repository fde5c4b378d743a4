package dev.plaidsync.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.simulator.SimAccount;
import dev.plaidsync.simulator.SimItem;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A holdings sweep while Plaid answers slowly (2 s a call): fetching runs ahead of the
 * write, so no database connection waits for Plaid inside a transaction, and tens of
 * calls are in flight at once, so the sweep can use Plaid's client limit.
 * {@code pg_stat_activity} is sampled all through the run: before the pipeline, a chunk's
 * connection sat idle in its transaction for at least the whole latency, so nearly every
 * sample saw one. A chunk's write is a few statements with Java work between them, which
 * a starved CPU (a 2-core machine running several builds at once, load average above 50)
 * stretched to 767 ms; the test therefore asserts that no wait was as long as one Plaid
 * call and that most samples see none over 200 ms. Issue 16's benchmark measures the 200
 * ms target itself.
 */
@EngineIntegrationTest
@TestPropertySource(properties = "plaidsync.sync.chunk-size=10")
class FetchPipelineIntegrationTests {

	private static final String HOLDINGS = "/investments/holdings/get";

	private static final int ITEMS = 150;

	private static final Duration LATENCY = Duration.ofSeconds(2);

	/** Issue 16's target: no connection idle in a transaction for more than 200 ms. */
	private static final long TARGET_MILLIS = 200;

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	Users users;

	@Autowired
	SyncLauncher launcher;

	@AfterEach
	void calm() {
		this.simulator.setLatency(Duration.ZERO, Duration.ZERO);
	}

	@Test
	void noConnectionIsIdleInATransactionWhilePlaidIsSlowAndTensOfCallsAreInFlight() {
		UUID user = this.users.idFor("pipeline-" + UUID.randomUUID());
		List<String> items = TestItems.create(this.context, user, ITEMS, "ins_900002", "pipeline-" + user);
		SyncRuns runs = new SyncRuns(this.launcher, this.jdbc);
		// A first sync with no latency warms the engine up, so that the measured run is
		// not also its first.
		runs.runToCompletion(SyncJob.HOLDINGS, SyncScope.user(user), SyncOptions.interactive());
		this.simulator.setLatency(LATENCY, Duration.ZERO);
		this.simulator.resetStats();

		long execution = runs.start(SyncJob.HOLDINGS, SyncScope.user(user),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, null));
		AtomicLong longestIdleInTransactionMillis = new AtomicLong();
		AtomicReference<String> longestIdleQuery = new AtomicReference<>();
		AtomicLong samples = new AtomicLong();
		AtomicLong samplesOverTarget = new AtomicLong();
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> {
			long idle = this.jdbc.sql("""
					SELECT (extract(epoch FROM clock_timestamp() - state_change) * 1000)::bigint AS idle, query
					FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'
					ORDER BY state_change LIMIT 1
					""").query((row, n) -> {
				long millis = row.getLong("idle");
				if (millis > longestIdleInTransactionMillis.get()) {
					longestIdleInTransactionMillis.set(millis);
					longestIdleQuery.set(row.getString("query"));
				}
				return millis;
			}).optional().orElse(0L);
			samples.incrementAndGet();
			if (idle > TARGET_MILLIS) {
				samplesOverTarget.incrementAndGet();
			}
			return !"STARTED".equals(runs.status(execution)) && !"STARTING".equals(runs.status(execution));
		});

		assertThat(runs.status(execution)).isEqualTo("COMPLETED");
		assertThat(samples.get()).as("pg_stat_activity samples during the run").isGreaterThan(20);
		assertThat((double) samplesOverTarget.get() / samples.get())
			.as("share of %d samples that saw a connection idle in a transaction for over %d ms (longest %d ms, after: %s)",
					samples.get(), TARGET_MILLIS, longestIdleInTransactionMillis.get(), longestIdleQuery.get())
			.isLessThan(0.5);
		assertThat(longestIdleInTransactionMillis.get())
			.as("longest a connection sat idle in a transaction, in ms, after: %s", longestIdleQuery.get())
			.isLessThan(LATENCY.toMillis());
		assertThat(peakInFlight(this.simulator.callTimes(HOLDINGS))).as("holdings calls in flight at once")
			.isGreaterThanOrEqualTo(20);
		assertThat(this.simulator.stats().callsPerEndpoint().get(HOLDINGS)).as("one call per item").isEqualTo(ITEMS);
		assertThat(this.jdbc.sql("SELECT count(*) FROM holdings WHERE user_id = :user")
			.param("user", user)
			.query(Long.class)
			.single()).as("every holding stored once").isEqualTo(expectedHoldings(items));
	}

	/**
	 * Each call lasts at least the latency, so calls started within one latency of each
	 * other overlapped.
	 */
	private static int peakInFlight(List<Instant> starts) {
		List<Instant> sorted = starts.stream().sorted().toList();
		int peak = 0;
		int first = 0;
		for (int last = 0; last < sorted.size(); last++) {
			while (Duration.between(sorted.get(first), sorted.get(last)).compareTo(LATENCY) >= 0) {
				first++;
			}
			peak = Math.max(peak, last - first + 1);
		}
		return peak;
	}

	private long expectedHoldings(List<String> items) {
		long total = 0;
		for (String itemId : items) {
			SimItem item = this.simulator.item(itemId);
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
