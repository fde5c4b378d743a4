package dev.plaidsync.sync.triggers;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncRuns;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import dev.plaidsync.testsupport.SimulatorControl;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A bad day, through the simulator over HTTP: one institution down, items Plaid says are
 * gone, windows that come back empty, totals that move while paging. Follow-up retries
 * wait 1 s, then 2 s, here (15 min and 1 h by default).
 */
@EngineIntegrationTest
@TestPropertySource(properties = { "plaidsync.sync.recovery.retry-delays=1s,2s",
		"plaidsync.sync.recovery.retry-check-interval=300ms", "plaidsync.sync.recovery.item-check-page-size=5",
		"plaidsync.sync.recovery.item-check-concurrency=2" })
class BadDayIntegrationTests {

	private static final String HOLDINGS = "/investments/holdings/get";

	private static final String TRANSACTIONS = "/investments/transactions/get";

	private static final String DOWN = "ins_900002";

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Users users;

	@Autowired
	SyncLauncher launcher;

	@Autowired
	MeterRegistry meters;

	@Autowired
	ItemErrorCheck itemErrorCheck;

	@LocalServerPort
	int port;

	SimulatorControl simulator;

	SyncRuns runs;

	@BeforeEach
	void setUp() {
		this.simulator = new SimulatorControl("http://localhost:" + this.port);
		this.runs = new SyncRuns(this.launcher, this.jdbc);
	}

	@AfterEach
	void endTheBadDay() {
		this.simulator.clearBadDayFaults();
		this.runs.awaitIdle();
	}

	@Test
	void oneInstitutionDownFailsOnlyItsItemsWhichAreRetriedThenLeftForTheNextSweep() {
		UUID user = this.users.idFor("outage-" + UUID.randomUUID());
		List<String> healthy = new ArrayList<>();
		healthy.addAll(TestItems.create(this.context, user, 25, "ins_900001", "outage-a-" + user));
		healthy.addAll(TestItems.create(this.context, user, 25, "ins_900004", "outage-c-" + user));
		List<String> down = TestItems.create(this.context, user, 25, DOWN, "outage-b-" + user);
		this.simulator.setInstitutionOutage(DOWN, "INSTITUTION_DOWN");
		Map<String, Long> before = holdingsCalls(healthy, down);

		this.runs.runToCompletion(SyncJob.HOLDINGS, SyncScope.all(),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, null));

		for (String item : healthy) {
			assertThat(syncedAt(item)).as("healthy item %s is fresh", item).isNotNull();
			assertThat(count("SELECT count(*) FROM holdings WHERE item_id = :item", item)).isPositive();
		}
		for (String item : down) {
			Map<String, Object> row = this.jdbc
				.sql("SELECT status, last_error_code, holdings_synced_at FROM plaid_items WHERE item_id = :item")
				.param("item", item)
				.query()
				.singleRow();
			assertThat(row).containsEntry("status", "ACTIVE").containsEntry("last_error_code", "INSTITUTION_DOWN");
			assertThat(row.get("holdings_synced_at")).isNull();
		}
		assertThat(count(
				"SELECT count(*) FROM sync_item_retries WHERE institution_id = :item AND job_name = 'holdingsSyncJob'",
				DOWN))
			.isEqualTo(25);

		// The follow-up runs: after 1 s, then after 2 s more; then the item waits for the
		// next sweep.
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> count(
					"SELECT count(*) FROM sync_item_retries WHERE institution_id = :item AND attempts = 3 AND due_at IS NULL",
					DOWN) == 25);
		this.runs.awaitIdle();
		Map<String, Long> afterRetries = holdingsCalls(healthy, down);
		for (String item : down) {
			assertThat(afterRetries.get(item) - before.get(item)).as("calls for %s: the sweep and two follow-ups", item)
				.isEqualTo(3);
		}
		for (String item : healthy) {
			assertThat(afterRetries.get(item) - before.get(item)).as("a healthy item is called once").isEqualTo(1);
		}
		JsonNode retries = ops("/ops/items/retries");
		assertThat(retries.isArray()).isTrue();
		JsonNode downRow = null;
		for (JsonNode row : retries) {
			if (DOWN.equals(row.path("institutionId").asString())
					&& "holdingsSyncJob".equals(row.path("jobName").asString())) {
				downRow = row;
			}
		}
		assertThat(downRow).as("the down institution in %s", retries).isNotNull();
		assertThat(downRow.path("waiting").asLong()).isEqualTo(25);
		assertThat(downRow.path("waitingForSweep").asLong()).isEqualTo(25);
		assertThat(downRow.path("lastErrorCode").asString()).isEqualTo("INSTITUTION_DOWN");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			Gauge gauge = this.meters.find("sync.item.retries.waiting")
				.tags("institution", DOWN, "job", "holdingsSyncJob")
				.gauge();
			assertThat(gauge).isNotNull();
			assertThat(gauge.value()).isEqualTo(25.0);
		});

		this.simulator.setInstitutionOutage(DOWN, null);
		this.runs.runToCompletion(SyncJob.HOLDINGS, SyncScope.all(),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, null));

		for (String item : down) {
			assertThat(syncedAt(item)).as("item %s synced once its institution is back", item).isNotNull();
		}
		assertThat(count("SELECT count(*) FROM sync_item_retries WHERE institution_id = :item", DOWN)).isZero();
		assertThat(ops("/ops/items/retries").toString()).doesNotContain(DOWN);
	}

	@Test
	void aFollowUpRunSyncsTheItemOnceItsInstitutionIsBack() {
		UUID user = this.users.idFor("recovers-" + UUID.randomUUID());
		List<String> items = TestItems.create(this.context, user, 3, DOWN, "recovers-" + user);
		this.simulator.setInstitutionOutage(DOWN, "INSTITUTION_NOT_RESPONDING");

		this.runs.runToCompletion(SyncJob.HOLDINGS, SyncScope.user(user),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, null));
		assertThat(items).allSatisfy((item) -> assertThat(syncedAt(item)).isNull());
		this.simulator.setInstitutionOutage(DOWN, null);

		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> items.stream().allMatch((item) -> syncedAt(item) != null));
		assertThat(count("SELECT count(*) FROM sync_item_retries WHERE item_id = ANY (CAST(:item AS text[]))",
				items.toArray(String[]::new)))
			.isZero();
	}

	@Test
	void permanentItemErrorsTakeTheItemOutOfTheSweepsAndListItForOperators() {
		UUID user = this.users.idFor("permanent-" + UUID.randomUUID());
		List<String> items = TestItems.create(this.context, user, 4, "ins_900001", "permanent-" + user);
		Map<String, String> codes = Map.of(items.get(0), "ITEM_NOT_FOUND", items.get(1), "INVALID_ACCESS_TOKEN",
				items.get(2), "INSTITUTION_NO_LONGER_SUPPORTED");
		codes.forEach(this.simulator::setPermanentItemError);

		this.runs.runToCompletion(SyncJob.HOLDINGS, SyncScope.user(user),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, null));

		codes.forEach((item, code) -> {
			Map<String, Object> row = this.jdbc
				.sql("SELECT status, status_reason, status_changed_at FROM plaid_items WHERE item_id = :item")
				.param("item", item)
				.query()
				.singleRow();
			assertThat(row).containsEntry("status", "BROKEN").containsEntry("status_reason", code);
			assertThat(row.get("status_changed_at")).isNotNull();
		});
		assertThat(syncedAt(items.get(3))).isNotNull();
		assertThat(count("SELECT count(*) FROM sync_item_retries WHERE item_id = ANY (CAST(:item AS text[]))",
				items.toArray(String[]::new)))
			.as("nothing to retry")
			.isZero();
		Map<String, Long> before = holdingsCalls(items, List.of());

		this.runs.runToCompletion(SyncJob.HOLDINGS, SyncScope.all(),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, null));

		Map<String, Long> after = holdingsCalls(items, List.of());
		codes.keySet()
			.forEach((item) -> assertThat(after.get(item)).as("a BROKEN item is not called")
				.isEqualTo(before.get(item)));
		assertThat(after.get(items.get(3))).isEqualTo(before.get(items.get(3)) + 1);
		JsonNode attention = ops("/ops/items/attention");
		Set<String> listed = new HashSet<>();
		for (JsonNode row : attention) {
			if (codes.containsKey(row.path("item_id").asString())) {
				assertThat(row.path("status").asString()).isEqualTo("BROKEN");
				assertThat(row.path("status_reason").asString()).isEqualTo(codes.get(row.path("item_id").asString()));
				assertThat(row.path("status_changed_at").isNull()).isFalse();
				listed.add(row.path("item_id").asString());
			}
		}
		assertThat(listed).isEqualTo(codes.keySet());
	}

	@Test
	void anEmptyWindowDeletesNothingUntilASecondFetchAgrees() {
		String item = heavyItem("empty-agree");
		this.runs.runToCompletion(SyncJob.TRANSACTIONS, SyncScope.item(item),
				SyncOptions.interactive(SyncOptions.TransactionsWindow.FULL));
		long stored = transactions(item);
		assertThat(stored).isPositive();
		this.simulator.setEmptyTransactionWindows(item, 1);
		long callsBefore = this.simulator.calls(TRANSACTIONS, item);

		this.runs.runToCompletion(SyncJob.TRANSACTIONS, SyncScope.item(item),
				SyncOptions.interactive(SyncOptions.TransactionsWindow.FULL));

		assertThat(this.simulator.calls(TRANSACTIONS, item) - callsBefore).as("an empty window is one page")
			.isEqualTo(1);
		assertThat(transactions(item)).as("an empty answer alone deletes nothing").isEqualTo(stored);
		assertThat(count(
				"SELECT count(*) FROM user_investment_accounts WHERE item_id = :item AND transactions_suspect_since IS NOT NULL",
				item))
			.as("accounts flagged")
			.isPositive();
		this.simulator.setEmptyTransactionWindows(item, 1);
		assertThat(count(
				"SELECT count(*) FROM sync_item_retries WHERE item_id = :item AND job_name = 'transactionsSyncJob'",
				item))
			.as("fetched again later")
			.isEqualTo(1);

		// The follow-up fetch (after 1 s) is empty again: two fetches agree, and the rows
		// go.
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> transactions(item) == 0);
		this.runs.awaitIdle();
		assertThat(count(
				"SELECT count(*) FROM user_investment_accounts WHERE item_id = :item AND transactions_suspect_since IS NOT NULL",
				item))
			.isZero();
		assertThat(count("SELECT count(*) FROM sync_item_retries WHERE item_id = :item", item)).isZero();
	}

	@Test
	void anEmptyWindowThatTheNextFetchContradictsDeletesNothing() {
		String item = heavyItem("empty-once");
		this.runs.runToCompletion(SyncJob.TRANSACTIONS, SyncScope.item(item),
				SyncOptions.interactive(SyncOptions.TransactionsWindow.FULL));
		long stored = transactions(item);
		this.simulator.setEmptyTransactionWindows(item, 1);

		this.runs.runToCompletion(SyncJob.TRANSACTIONS, SyncScope.item(item),
				SyncOptions.interactive(SyncOptions.TransactionsWindow.FULL));
		assertThat(transactions(item)).isEqualTo(stored);

		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> count(
					"SELECT count(*) FROM user_investment_accounts WHERE item_id = :item AND transactions_suspect_since IS NOT NULL",
					item) == 0);
		this.runs.awaitIdle();
		assertThat(transactions(item)).as("the follow-up fetch returned every row again").isEqualTo(stored);
		assertThat(count("SELECT count(*) FROM sync_item_retries WHERE item_id = :item", item)).isZero();
	}

	@Test
	void aTotalThatChangesBetweenPagesFetchesTheWindowAgainBeforeReconciling() {
		String item = heavyItem("moving-total");
		LocalDate end = LocalDate.now(ZoneOffset.UTC);
		LocalDate start = end.minusMonths(24);
		int total = this.simulator.transactions(item, start, end).path("total_investment_transactions").asInt();
		assertThat(total).as("needs more than one page").isGreaterThan(500);
		this.simulator.setTotalChangesBetweenPages(item, 1);
		long callsBefore = this.simulator.calls(TRANSACTIONS, item);
		double refetchedBefore = refetched();

		this.runs.runToCompletion(SyncJob.TRANSACTIONS, SyncScope.item(item),
				SyncOptions.interactive(SyncOptions.TransactionsWindow.FULL));

		JsonNode now = this.simulator.transactions(item, start, end);
		assertThat(now.path("total_investment_transactions").asInt()).isEqualTo(total + 1);
		Set<String> expected = new HashSet<>();
		now.path("investment_transactions")
			.forEach((t) -> expected.add(t.path("investment_transaction_id").asString()));
		Set<String> storedIds = new HashSet<>(
				this.jdbc.sql("SELECT investment_transaction_id FROM investment_transactions WHERE item_id = :item")
					.param("item", item)
					.query(String.class)
					.list());
		assertThat(storedIds).isEqualTo(expected);
		int pages = (total + 1 + 499) / 500;
		assertThat(this.simulator.calls(TRANSACTIONS, item) - callsBefore)
			.as("two pages until the total moved, then the whole window again")
			.isEqualTo(2 + pages);
		assertThat(refetched() - refetchedBefore).isEqualTo(1.0);
	}

	@Test
	void balancesFetchedBeforeTheStoredOnesNeverOverwriteThemWhicheverJobFetchedThem() {
		UUID user = this.users.idFor("order-" + UUID.randomUUID());
		String item = TestItems.create(this.context, user, 1, "ins_900001", "order-" + user).get(0);
		this.simulator.setLatency(Duration.ofSeconds(3), Duration.ZERO);
		long holdings;
		try {
			holdings = this.runs.start(SyncJob.HOLDINGS, SyncScope.item(item), SyncOptions.interactive());
			await().atMost(Duration.ofSeconds(10)).until(() -> this.simulator.calls(HOLDINGS, item) >= 1);
		}
		finally {
			this.simulator.setLatency(Duration.ZERO, Duration.ZERO);
		}
		this.runs.runToCompletion(SyncJob.BALANCES, SyncScope.item(item), SyncOptions.interactive());
		OffsetDateTime balancesFetched = this.jdbc
			.sql("SELECT balances_synced_at FROM plaid_items WHERE item_id = :item")
			.param("item", item)
			.query(OffsetDateTime.class)
			.single();

		assertThat(this.runs.awaitEnd(holdings)).isEqualTo("COMPLETED");

		assertThat(syncedAt(item)).as("the holdings snapshot was fetched first").isBefore(balancesFetched);
		assertThat(
				this.jdbc.sql("SELECT DISTINCT balances_updated_at FROM user_investment_accounts WHERE item_id = :item")
					.param("item", item)
					.query(OffsetDateTime.class)
					.list())
			.as("the holdings job's older balances did not overwrite the newer ones")
			.containsExactly(balancesFetched);
	}

	@Test
	void theItemCheckCoversEveryItemInErrorPageByPageAndSurvivesAnItemDeletedMeanwhile() {
		UUID user = this.users.idFor("check-" + UUID.randomUUID());
		List<String> items = TestItems.create(this.context, user, 13, "ins_900001", "check-" + user);
		this.jdbc.sql(
				"UPDATE plaid_items SET status = 'NEEDS_USER', status_reason = 'ITEM_LOGIN_REQUIRED' WHERE item_id = ANY (CAST(:item AS text[]))")
			.param("item", items.toArray(String[]::new))
			.update();
		String deletedMeanwhile = items.get(4);
		this.simulator.setLatency(Duration.ofMillis(400), Duration.ZERO);
		java.util.concurrent.CompletableFuture<ItemErrorCheck.CheckSummary> check;
		try {
			check = java.util.concurrent.CompletableFuture.supplyAsync(this.itemErrorCheck::checkItemsInError);
			await().atMost(Duration.ofSeconds(20)).until(() -> this.simulator.calls("/item/get", items.get(0)) >= 1);
			this.jdbc.sql("DELETE FROM plaid_items WHERE item_id = :item").param("item", deletedMeanwhile).update();
		}
		finally {
			this.simulator.setLatency(Duration.ZERO, Duration.ZERO);
		}

		ItemErrorCheck.CheckSummary summary = check.join();

		assertThat(summary.finished()).isTrue();
		assertThat(summary.gone()).as("the deleted item was skipped").isEqualTo(1);
		assertThat(summary.repaired()).isGreaterThanOrEqualTo(12);
		List<String> left = new ArrayList<>(items);
		left.remove(deletedMeanwhile);
		assertThat(this.jdbc
			.sql("SELECT count(*) FROM plaid_items WHERE item_id = ANY (CAST(:item AS text[])) AND status = 'ACTIVE'")
			.param("item", left.toArray(String[]::new))
			.query(Long.class)
			.single()).as("every page was checked").isEqualTo(12);
		assertThat(this.simulator.calls("/item/get", deletedMeanwhile)).isZero();
	}

	private String heavyItem(String name) {
		UUID user = this.users.idFor(name + "-" + UUID.randomUUID());
		return TestItems.create(this.context, user, 1, "ins_900001", "heavy-" + name + "-" + user).get(0);
	}

	private double refetched() {
		var counter = this.meters.find("plaid.transactions.window.refetched").counter();
		return (counter != null) ? counter.count() : 0;
	}

	private long transactions(String item) {
		return count("SELECT count(*) FROM investment_transactions WHERE item_id = :item", item);
	}

	private OffsetDateTime syncedAt(String item) {
		return this.jdbc.sql("SELECT holdings_synced_at FROM plaid_items WHERE item_id = :item")
			.param("item", item)
			.query((row, number) -> row.getObject(1, OffsetDateTime.class))
			.list()
			.get(0);
	}

	private long count(String sql, Object item) {
		return this.jdbc.sql(sql).param("item", item).query(Long.class).single();
	}

	private Map<String, Long> holdingsCalls(List<String> first, List<String> second) {
		JsonNode perItem = this.simulator.stats().path("calls_per_endpoint_per_item").path(HOLDINGS);
		Map<String, Long> calls = new java.util.HashMap<>();
		first.forEach((item) -> calls.put(item, perItem.path(item).asLong(0)));
		second.forEach((item) -> calls.put(item, perItem.path(item).asLong(0)));
		return calls;
	}

	private JsonNode ops(String path) {
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
					.header("Authorization", "Bearer test-ops-token")
					.GET()
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			return JsonMapper.shared().readTree(response.body());
		}
		catch (java.io.IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
