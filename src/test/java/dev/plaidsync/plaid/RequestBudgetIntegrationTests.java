package dev.plaidsync.plaid;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.plaid.client.model.ItemPublicTokenExchangeResponse;
import dev.plaidsync.PlaidSyncApplication;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two engines on one database share Plaid's client limit through the budget in
 * PostgreSQL. The window is shortened to {@value #WINDOW_SECONDS} s and the /accounts/get
 * limit to {@value #LIMIT} per window; the simulator applies no limits of its own, so
 * every call it counts is one the budget let through, and it counts them when they
 * arrive, as Plaid does.
 * <p>
 * The margin covers a spread in time (calls granted at one instant reach Plaid a little
 * apart): 0.61 s with the default 2% of a one-minute window. A window six times shorter
 * needs a share six times larger for the same spread, so the test sets {@value #MARGIN}:
 * a burst of 6 and 88 permits refilled per window, which keeps any window within the
 * limit while calls are spread by up to 0.68 s on their way, as a loaded test machine may
 * spread them. Rates are judged against that budget, the limit less the margin.
 */
@EngineIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = { RequestBudgetIntegrationTests.WINDOW, RequestBudgetIntegrationTests.SAFETY_MARGIN,
		RequestBudgetIntegrationTests.ACCOUNTS_LIMIT, RequestBudgetIntegrationTests.ACCOUNTS_ITEM_LIMIT,
		"plaidsync.simulator.rate-limits-enabled=false", "plaidsync.simulator.latency=0ms",
		"plaidsync.simulator.latency-jitter=0ms" })
class RequestBudgetIntegrationTests {

	private static final Logger log = LoggerFactory.getLogger(RequestBudgetIntegrationTests.class);

	static final int WINDOW_SECONDS = 10;

	static final int LIMIT = 100;

	static final String WINDOW = "plaid.budget.window=" + WINDOW_SECONDS + "s";

	static final double MARGIN = 0.11;

	static final String SAFETY_MARGIN = "plaid.budget.safety-margin=" + MARGIN;

	/** What the budget hands out per window at most, in steady state. */
	private static final double BUDGET = LIMIT * (1 - MARGIN);

	static final String ACCOUNTS_LIMIT = "plaid.budget.client-limits-per-minute.accounts=" + LIMIT;

	static final String ACCOUNTS_ITEM_LIMIT = "plaid.budget.item-limits-per-minute.accounts=100000";

	private static final String ACCOUNTS = "/accounts/get";

	private static final Duration WINDOW_LENGTH = Duration.ofSeconds(WINDOW_SECONDS);

	private static final int THREADS_PER_ENGINE = 4;

	@Autowired
	PlaidGateway gateway;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	MeterRegistry meters;

	@Autowired
	DatabaseClock clock;

	private ConfigurableApplicationContext secondEngine;

	private PlaidGateway secondGateway;

	private List<ItemAccess> items;

	private final ExecutorService callers = Executors.newFixedThreadPool(2 * THREADS_PER_ENGINE);

	@BeforeAll
	void startASecondEngineOnTheSameDatabase(@Autowired Environment environment) {
		String port = environment.getProperty("local.server.port");
		this.secondEngine = new SpringApplicationBuilder(PlaidSyncApplication.class).run(
				"--spring.profiles.active=test",
				"--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
				"--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
				"--spring.datasource.password=", "--server.port=0",
				"--plaidsync.token.key=" + environment.getProperty("plaidsync.token.key"),
				"--plaidsync.ops.token=" + environment.getProperty("plaidsync.ops.token"), "--plaidsync.demo.users=0",
				"--plaid.base-url=http://localhost:" + port + "/simulator/plaid/", "--" + WINDOW, "--" + SAFETY_MARGIN,
				"--" + ACCOUNTS_LIMIT, "--" + ACCOUNTS_ITEM_LIMIT);
		this.secondGateway = this.secondEngine.getBean(PlaidGateway.class);
		this.items = new ArrayList<>();
		for (int i = 0; i < THREADS_PER_ENGINE; i++) {
			this.items.add(link("user_budget_" + i));
		}
	}

	@AfterAll
	void stopTheSecondEngine() {
		this.callers.shutdownNow();
		if (this.secondEngine != null) {
			this.secondEngine.close();
		}
	}

	@Test
	void twoEnginesTogetherSpendCloseToTheLimitButNeverOverItInAnyWindow() throws Exception {
		this.simulator.resetStats();

		hammer(CallPriority.INTERACTIVE, WINDOW_LENGTH.multipliedBy(5).dividedBy(2));

		List<Instant> calls = this.simulator.callTimes(ACCOUNTS);
		double windowsElapsed = windowsElapsed(calls);
		double achieved = calls.size() / (BUDGET * windowsElapsed);
		int busiestWindow = busiestWindow(calls);
		log.info("Budget: {} calls over {} windows of {}: {} of the budget; busiest window {} of {}", calls.size(),
				String.format("%.2f", windowsElapsed), WINDOW_LENGTH, String.format("%.3f", achieved), busiestWindow,
				LIMIT);
		assertThat(busiestWindow).isLessThanOrEqualTo(LIMIT);
		assertThat(achieved).isGreaterThanOrEqualTo(0.95);
	}

	@Test
	void sweepsAloneSpendTheWholeLimitLessTheMarginAcrossBothEngines() throws Exception {
		this.simulator.resetStats();

		hammer(CallPriority.SWEEP, WINDOW_LENGTH.multipliedBy(2));

		List<Instant> calls = this.simulator.callTimes(ACCOUNTS);
		double achieved = calls.size() / (BUDGET * windowsElapsed(calls));
		log.info("Sweeps alone: {} calls, {} of the budget; busiest window {} of {}", calls.size(),
				String.format("%.3f", achieved), busiestWindow(calls), LIMIT);
		assertThat(achieved).as("sweeps are not held to a share while nothing else calls").isGreaterThanOrEqualTo(0.95);
		assertThat(busiestWindow(calls)).isLessThanOrEqualTo(LIMIT);
	}

	@Test
	void interactiveCallsGoFirstWhileSweepsTakeTheRestOfTheLimit() throws Exception {
		this.simulator.resetStats();
		Instant sweepsEnd = Instant.now().plus(WINDOW_LENGTH.multipliedBy(2));
		List<Future<?>> sweeps = start(CallPriority.SWEEP, sweepsEnd);
		List<Duration> interactiveWaits = new ArrayList<>();
		Timer interactiveWait = this.secondEngine.getBean(MeterRegistry.class)
			.timer("plaid.budget.wait", "endpoint", "accounts", "priority", "interactive");
		while (Instant.now().isBefore(sweepsEnd.minus(WINDOW_LENGTH.dividedBy(5)))) {
			double waitedBefore = interactiveWait.totalTime(TimeUnit.NANOSECONDS);
			this.secondGateway.accounts(this.items.get(0), CallPriority.INTERACTIVE);
			interactiveWaits
				.add(Duration.ofNanos((long) (interactiveWait.totalTime(TimeUnit.NANOSECONDS) - waitedBefore)));
			pauseBetweenInteractiveCalls();
		}
		for (Future<?> sweep : sweeps) {
			sweep.get();
		}

		List<Instant> calls = this.simulator.callTimes(ACCOUNTS);
		double total = calls.size() / (BUDGET * windowsElapsed(calls));
		log.info("Sweeps and interactive calls together took {} of the budget; {} interactive calls waited at most {}",
				String.format("%.3f", total), interactiveWaits.size(),
				interactiveWaits.stream().max(Duration::compareTo).orElseThrow());
		assertThat(total).as("sweeps take what interactive calls leave").isGreaterThanOrEqualTo(0.95);
		assertThat(interactiveWaits).hasSizeGreaterThanOrEqualTo(10)
			.allSatisfy((wait) -> assertThat(wait).isLessThan(Duration.ofSeconds(1)));
		assertThat(this.meters.get("plaid.budget.wait")
			.tags("endpoint", "accounts", "priority", "sweep")
			.timer()
			.totalTime(TimeUnit.SECONDS)).as("sweeps waited for permits").isGreaterThan(1);
		assertThat(busiestWindow(calls)).isLessThanOrEqualTo(LIMIT);
	}

	@Test
	void theBudgetCountsOnTheDatabasesClock(@Autowired JdbcClient jdbc) {
		this.gateway.accounts(this.items.get(0), CallPriority.INTERACTIVE);
		double uncertainty = this.meters.get("plaid.budget.clock.uncertainty").gauge().value();
		String now = "SELECT (extract(epoch FROM clock_timestamp()) * 1000000000)::bigint";

		for (int i = 0; i < 20; i++) {
			long before = jdbc.sql(now).query(Long.class).single();
			long clock = this.clock.currentTimeNanos();
			long after = jdbc.sql(now).query(Long.class).single();
			assertThat(clock).as("the budget's clock reads between two readings of the database's")
				.isBetween(before - (long) (uncertainty * 1e9) - 1_000_000,
						after + (long) (uncertainty * 1e9) + 1_000_000);
		}
		assertThat(uncertainty).as("half the round trip to the database").isBetween(0.0, 0.05);
		assertThat(this.meters.get("plaid.budget.clock.offset").gauge().value()).as("the same machine's clocks")
			.isBetween(-0.5, 0.5);
	}

	private void hammer(CallPriority priority, Duration duration) throws Exception {
		for (Future<?> caller : start(priority, Instant.now().plus(duration))) {
			caller.get();
		}
	}

	private List<Future<?>> start(CallPriority priority, Instant end) {
		List<Future<?>> started = new ArrayList<>();
		for (int i = 0; i < THREADS_PER_ENGINE; i++) {
			ItemAccess item = this.items.get(i);
			for (PlaidGateway engine : List.of(this.gateway, this.secondGateway)) {
				started.add(this.callers.submit(() -> {
					while (Instant.now().isBefore(end)) {
						engine.accounts(item, priority);
					}
				}));
			}
		}
		return started;
	}

	private static double windowsElapsed(List<Instant> calls) {
		return Duration.between(calls.get(0), calls.get(calls.size() - 1)).toMillis()
				/ (double) WINDOW_LENGTH.toMillis();
	}

	/**
	 * The most calls that arrived within any one window, over every window that starts at
	 * a call.
	 */
	private static int busiestWindow(List<Instant> calls) {
		int busiest = 0;
		int windowEnd = 0;
		for (int start = 0; start < calls.size(); start++) {
			Instant limit = calls.get(start).plus(WINDOW_LENGTH);
			while (windowEnd < calls.size() && calls.get(windowEnd).isBefore(limit)) {
				windowEnd++;
			}
			busiest = Math.max(busiest, windowEnd - start);
		}
		return busiest;
	}

	private static void pauseBetweenInteractiveCalls() throws InterruptedException {
		Thread.sleep(300);
	}

	private ItemAccess link(String username) {
		String publicToken = this.gateway.createSandboxPublicToken("ins_900001", username).getPublicToken();
		ItemPublicTokenExchangeResponse exchanged = this.gateway.exchangePublicToken(publicToken);
		return new ItemAccess(exchanged.getItemId(), "ins_900001", exchanged.getAccessToken());
	}

}
