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
 * A holdings sweep while Plaid answers slowly (2 s a call): fetching runs ahead of the write, so no database
 * connection waits for Plaid inside a transaction (watched in {@code pg_stat_activity} all through the run: before
 * the pipeline, a chunk's connection sat idle in its transaction for the whole latency), and tens of calls are in
 * flight at once, so the sweep can use Plaid's client limit.
 */
@EngineIntegrationTest
@TestPropertySource(properties = "plaidsync.sync.chunk-size=10")
class FetchPipelineIntegrationTests {

	private static final String HOLDINGS = "/investments/holdings/get";

	private static final int ITEMS = 150;

	private static final Duration LATENCY = Duration.ofSeconds(2);

	/**
	 * A chunk's write is a few statements with Java work between them, which a starved CPU (a 2-core machine running
	 * several builds) can stretch to hundreds of milliseconds; waiting for Plaid inside the transaction would take at
	 * least the latency.
	 */
	private static final long IDLE_IN_TRANSACTION_BOUND_MILLIS = LATENCY.toMillis() / 2;

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
		this.simulator.setLatency(LATENCY, Duration.ZERO);
		this.simulator.resetStats();
		SyncRuns runs = new SyncRuns(this.launcher, this.jdbc);

		long execution = runs.start(SyncJob.HOLDINGS, SyncScope.user(user),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, null));
		AtomicLong longestIdleInTransactionMillis = new AtomicLong();
		AtomicReference<String> longestIdleQuery = new AtomicReference<>();
		AtomicLong samples = new AtomicLong();
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> {
			this.jdbc.sql("""
					SELECT (extract(epoch FROM clock_timestamp() - state_change) * 1000)::bigint AS idle, query
					FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'
					ORDER BY state_change LIMIT 1
					""").query((row, n) -> {
				long idle = row.getLong("idle");
				if (idle > longestIdleInTransactionMillis.get()) {
					longestIdleInTransactionMillis.set(idle);
					longestIdleQuery.set(row.getString("query"));
				}
				return idle;
			}).list();
			samples.incrementAndGet();
			return !"STARTED".equals(runs.status(execution)) && !"STARTING".equals(runs.status(execution));
		});

		assertThat(runs.status(execution)).isEqualTo("COMPLETED");
		assertThat(samples.get()).as("pg_stat_activity samples during the run").isGreaterThan(20);
		assertThat(longestIdleInTransactionMillis.get()).as("longest a connection sat idle in a transaction, in ms, after: %s",
				longestIdleQuery.get())
			.isLessThan(IDLE_IN_TRANSACTION_BOUND_MILLIS);
		assertThat(peakInFlight(this.simulator.callTimes(HOLDINGS))).as("holdings calls in flight at once")
			.isGreaterThanOrEqualTo(20);
		assertThat(this.simulator.stats().callsPerEndpoint().get(HOLDINGS)).as("one call per item").isEqualTo(ITEMS);
		assertThat(this.jdbc.sql("SELECT count(*) FROM holdings WHERE user_id = :user").param("user", user)
			.query(Long.class).single()).as("every holding stored once").isEqualTo(expectedHoldings(items));
	}

	/** Each call lasts at least the latency, so calls started within one latency of each other overlapped. */
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
			Set<String> investment = item.accounts().stream().filter((account) -> "investment".equals(account.type()))
				.map(SimAccount::accountId).collect(Collectors.toSet());
			total += item.holdings().stream().filter((holding) -> investment.contains(holding.accountId())).count();
		}
		return total;
	}

}
