package dev.plaidsync.portfolio;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.plaidsync.ledger.Reconciliation;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.simulator.SimItem;
import dev.plaidsync.simulator.SimSecurity;
import dev.plaidsync.simulator.SimTransaction;
import dev.plaidsync.sync.LaunchOutcome;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Daily history, the computed cost basis and the reconciliation, driven through the
 * simulator's day: its own context, whose simulator starts 10 days ago so that advancing
 * it never passes the real date the engine fetches up to.
 */
@EngineIntegrationTest
@TestPropertySource(properties = { "plaidsync.simulator.start-days-ago=10", "plaidsync.ledger.metrics-interval=200ms" })
class PortfolioHistoryIntegrationTests {

	private static final String OPS_TOKEN = "test-ops-token";

	@LocalServerPort
	int port;

	@org.springframework.beans.factory.annotation.Value("${local.management.port}")
	int managementPort;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	SyncLauncher launcher;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Reconciliation reconciliation;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void historyGrowsADayAtATimeReconcilesExactlyAndCatchesADroppedTransaction() {
		UserApiClient api = new UserApiClient(this.port);
		String run = UUID.randomUUID().toString().substring(0, 8);
		String token = api.demoToken("history-" + run);
		String itemId = NewUserJourneyIntegrationTests.linkThroughTheApi(api, this.simulator, token, "ins_900001",
				"user_heavy_history_" + run);
		UUID userId = this.jdbc.sql("SELECT user_id FROM plaid_items WHERE item_id = :item")
			.param("item", itemId)
			.query(UUID.class)
			.single();
		LocalDate firstDay = this.simulator.today();
		awaitIdle();

		List<LocalDate> days = new ArrayList<>(List.of(firstDay));
		for (int i = 0; i < 4; i++) {
			days.add(this.simulator.advanceDays(1));
			sync(SyncJob.HOLDINGS, itemId, SyncOptions.interactive());
			sync(SyncJob.TRANSACTIONS, itemId, SyncOptions.interactive(SyncOptions.TransactionsWindow.ROUTINE));
		}
		LocalDate lastDay = days.get(days.size() - 1);
		SimItem item = this.simulator.item(itemId);
		Set<String> cash = item.securities()
			.stream()
			.filter((s) -> "cash".equals(s.type()))
			.map(SimSecurity::securityId)
			.collect(Collectors.toSet());
		List<SimTransaction> traded = this.simulator.transactions(itemId, firstDay.plusDays(1), lastDay)
			.stream()
			.filter((t) -> t.securityId() != null && !cash.contains(t.securityId()) && t.quantity().signum() != 0)
			.toList();
		assertThat(traded).as("units traded in the advanced days, so that reconciling exactly means something")
			.isNotEmpty();

		// one snapshot per account and market day
		assertThat(this.jdbc.sql("""
				SELECT count(*) FROM holdings_history h JOIN user_investment_accounts a ON a.id = h.account_key
				WHERE a.item_id = :item
				""").param("item", itemId).query(Long.class).single())
			.isEqualTo(days.size() * item.accounts().stream().filter((a) -> "investment".equals(a.type())).count());
		assertThat(this.jdbc.sql("""
				SELECT DISTINCT h.day FROM holdings_history h JOIN user_investment_accounts a ON a.id = h.account_key
				WHERE a.item_id = :item ORDER BY h.day
				""").param("item", itemId).query(LocalDate.class).list()).containsExactlyElementsOf(days);

		// the API: per day, totals per currency and per account; the last day equals what
		// Plaid reports now
		JsonNode history = api.get("/api/portfolio/history?from=" + firstDay + "&to=" + lastDay, token)
			.expect(200)
			.body();
		assertThat(history.path("days")).hasSize(days.size());
		JsonNode last = history.path("days").get(days.size() - 1);
		assertThat(last.path("day").asString()).isEqualTo(lastDay.toString());
		Map<String, BigDecimal> expected = ExpectedPortfolio.of(item).totalValue();
		Map<String, BigDecimal> totals = new TreeMap<>();
		last.path("total_value")
			.forEach((total) -> totals.put(total.path("currency").asString(),
					new BigDecimal(total.path("amount").asString())));
		assertThat(totals.keySet()).isEqualTo(expected.keySet());
		expected.forEach((currency, value) -> assertThat(totals.get(currency)).isEqualByComparingTo(value));
		long investmentAccounts = item.accounts().stream().filter((a) -> "investment".equals(a.type())).count();
		assertThat(last.path("accounts")).hasSize((int) investmentAccounts);

		// the simulator's holdings and transactions agree
		assertThat(this.reconciliation.reconcileUser(userId)).isEmpty();

		// a transaction the institution drops while its holdings keep it
		SimTransaction dropped = traded.stream()
			.filter((t) -> t.date().equals(lastDay) || t.date().isAfter(firstDay))
			.filter((t) -> !"cancel".equals(t.type()))
			.reduce((first, second) -> second)
			.orElseThrow();
		this.simulator.removeTransaction(itemId, dropped.investmentTransactionId());
		sync(SyncJob.TRANSACTIONS, itemId, SyncOptions.interactive(SyncOptions.TransactionsWindow.ROUTINE));
		assertThat(this.jdbc.sql("SELECT count(*) FROM investment_transactions WHERE investment_transaction_id = :id")
			.param("id", dropped.investmentTransactionId())
			.query(Long.class)
			.single()).isZero();

		// found after the sync by itself (PortfolioRefreshed), and by a direct check with
		// the same answer
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.jdbc.sql("SELECT count(*) FROM reconciliation_breaks WHERE account_id = :account")
				.param("account", dropped.accountId())
				.query(Long.class)
				.single() > 0);
		List<Reconciliation.Break> breaks = this.reconciliation.reconcileUser(userId);
		assertThat(breaks).singleElement().satisfies((b) -> {
			assertThat(b.accountId()).isEqualTo(dropped.accountId());
			assertThat(b.securityId()).isEqualTo(dropped.securityId());
			assertThat(b.toDay()).isEqualTo(dropped.date());
			assertThat(b.fromDay()).isEqualTo(dropped.date().minusDays(1));
			assertThat(b.difference()).isEqualByComparingTo(dropped.quantity());
		});

		JsonNode listed = ops("/ops/reconciliation");
		JsonNode account = null;
		for (JsonNode candidate : listed.path("accounts")) {
			if (candidate.path("account_id").asString().equals(dropped.accountId())) {
				account = candidate;
			}
		}
		assertThat(account).as(listed.toString()).isNotNull();
		assertThat(account.path("item_id").asString()).isEqualTo(itemId);
		JsonNode security = account.path("securities").get(0);
		assertThat(security.path("security_id").asString()).isEqualTo(dropped.securityId());
		assertThat(new BigDecimal(security.path("difference").asString())).isEqualByComparingTo(dropped.quantity());
		assertThat(new BigDecimal(security.path("transactions_quantity").asString()).add(dropped.quantity()))
			.isEqualByComparingTo(new BigDecimal(security.path("holdings_change").asString()));
		await().atMost(Duration.ofSeconds(10)).until(() -> metric("plaidsync_reconciliation_accounts_mismatched") >= 1);
	}

	@Test
	void thePortfolioShowsPlaidsAndTheComputedCostBasisWithItsSourceAndWindow() {
		UserApiClient api = new UserApiClient(this.port);
		String run = UUID.randomUUID().toString().substring(0, 8);
		String token = api.demoToken("basis-" + run);
		NewUserJourneyIntegrationTests.linkThroughTheApi(api, this.simulator, token, "ins_900001",
				"user_heavy_basis_" + run);

		JsonNode portfolio = api.get("/api/portfolio", token).expect(200).body();
		List<JsonNode> computed = new ArrayList<>();
		List<JsonNode> plaid = new ArrayList<>();
		portfolio.path("accounts").forEach((account) -> account.path("holdings").forEach((holding) -> {
			if (!holding.path("computed_cost_basis").isNull()) {
				computed.add(holding);
			}
			if (!holding.path("cost_basis").isNull()) {
				plaid.add(holding);
				assertThat(holding.path("cost_basis_source").asString()).isEqualTo("plaid");
			}
			assertThat(holding.has("cost_basis_mismatch")).isTrue();
		}));
		assertThat(plaid).isNotEmpty();
		assertThat(computed).isNotEmpty().allSatisfy((holding) -> {
			JsonNode basis = holding.path("computed_cost_basis");
			assertThat(basis.path("source").asString()).isEqualTo("transactions");
			assertThat(basis.path("method").asString()).isEqualTo("average_cost");
			assertThat(LocalDate.parse(basis.path("window").path("from").asString()))
				.isBefore(LocalDate.parse(basis.path("window").path("to").asString()));
			assertThat(basis.path("window").path("transactions_synced_at").isNull()).isFalse();
			assertThat(new BigDecimal(basis.path("amount").asString()).scale()).isEqualTo(2);
		});
	}

	@Test
	void badDatesAre400WithAMessageAndAnotherUserSeesNoHistory() {
		UserApiClient api = new UserApiClient(this.port);
		String token = api.demoToken("history-bad-" + UUID.randomUUID());
		UserApiClient.Answer notADate = api.get("/api/portfolio/history?from=2026-13-01", token).expect(400);
		assertThat(notADate.body().path("error").asString()).isEqualTo("invalid_date");
		assertThat(notADate.body().path("message").asString()).contains("from").contains("YYYY-MM-DD");
		UserApiClient.Answer reversed = api.get("/api/portfolio/history?from=2026-05-02&to=2026-05-01", token)
			.expect(400);
		assertThat(reversed.body().path("error").asString()).isEqualTo("invalid_date_range");
		api.get("/api/portfolio/history?from=2020-01-01&to=2026-01-01", token).expect(400);
		api.get("/api/portfolio/history", null).expect(401);

		JsonNode empty = api.get("/api/portfolio/history?from=2020-01-01&to=2022-12-31", token).expect(200).body();
		assertThat(empty.path("days")).isEmpty();
		JsonNode recent = api.get("/api/portfolio/history", token).expect(200).body();
		assertThat(recent.path("days")).as("a user without items sees nobody's history").isEmpty();
	}

	private void sync(SyncJob job, String itemId, SyncOptions options) {
		LaunchOutcome outcome = this.launcher.request(job, SyncScope.item(itemId), "test:" + UUID.randomUUID(),
				options);
		assertThat(outcome.status()).as(outcome.message()).isEqualTo(LaunchOutcome.Status.STARTED);
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> !this.jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = :id")
				.param("id", outcome.jobExecutionId())
				.query(String.class)
				.single()
				.startsWith("START"));
		assertThat(this.jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = :id")
			.param("id", outcome.jobExecutionId())
			.query(String.class)
			.single()).isEqualTo("COMPLETED");
	}

	private void awaitIdle() {
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.jdbc.sql(
					"SELECT (SELECT count(*) FROM sync_requests) + (SELECT count(*) FROM batch_job_execution WHERE status IN ('STARTING', 'STARTED', 'STOPPING'))")
				.query(Long.class)
				.single() == 0);
	}

	private JsonNode ops(String path) {
		HttpResponse<String> response = get(path, OPS_TOKEN);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JsonMapper.shared().readTree(response.body());
	}

	private double metric(String name) {
		String body = fetch(URI.create("http://localhost:" + this.managementPort + "/actuator/prometheus"), null)
			.body();
		return body.lines()
			.filter((line) -> line.startsWith(name + " ") || line.startsWith(name + "{"))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.max()
			.orElse(-1);
	}

	private HttpResponse<String> get(String path, String bearer) {
		return fetch(URI.create("http://localhost:" + this.port + path), bearer);
	}

	private HttpResponse<String> fetch(URI uri, String bearer) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
