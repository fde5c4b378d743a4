package dev.plaidsync.portfolio;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.plaidsync.simulator.LinkedItem;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.simulator.SimHolding;
import dev.plaidsync.simulator.SimItem;
import dev.plaidsync.simulator.SimSecurity;
import dev.plaidsync.sync.LaunchOutcome;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EngineIntegrationTest
class NewUserJourneyIntegrationTests {

	static final String INSTITUTION = "ins_900001";

	@LocalServerPort
	int port;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	SyncLauncher launcher;

	@Test
	void aNewUserLinksABrokerageSeesExactTotalsAndIsToldWhenAPriceChanges() throws Exception {
		UserApiClient api = new UserApiClient(this.port);
		String run = UUID.randomUUID().toString().substring(0, 8);
		String login = aLoginWithOptionsCashAndANonInvestmentAccount(this.simulator, INSTITUTION, "journey-" + run);
		String token = api.demoToken("journey-" + run);

		String linkToken = api.post("/api/plaid/link-token", token, null)
			.expect(200)
			.body()
			.path("link_token")
			.asString();
		String publicToken = this.simulator.completeLink(linkToken, INSTITUTION, login);
		JsonNode linked = api.post("/api/plaid/items", token, Map.of("public_token", publicToken)).expect(201).body();
		String itemId = linked.path("item_id").asString();
		assertThat(linked.path("status").asString()).isEqualTo("ACTIVE");
		assertThat(linked.path("institution_id").asString()).isEqualTo(INSTITUTION);

		awaitFirstSync(api, token, itemId);
		SimItem before = this.simulator.item(itemId);
		assertTotalsMatch(api.get("/api/portfolio", token).expect(200).body(), ExpectedPortfolio.of(before));

		try (UserApiClient.EventStream stream = api.stream(token)) {
			assertThat(stream.status()).isEqualTo(200);
			awaitLine(stream, "event:connected");
			SimHolding equity = anEquityHolding(before);
			this.simulator.setPrice(equity.securityId(),
					equity.institutionPrice().multiply(new BigDecimal("1.5")).setScale(2, RoundingMode.HALF_UP));
			this.simulator.fireHoldingsUpdate(itemId);
			// The webhook intake (POST /webhook/plaid) is another module's work: this
			// branch runs the holdings sync
			// the webhook would launch.
			LaunchOutcome outcome = this.launcher.request(SyncJob.HOLDINGS, SyncScope.item(itemId),
					"test:" + UUID.randomUUID(), SyncOptions.interactive());
			assertThat(outcome.status()).isIn(LaunchOutcome.Status.STARTED, LaunchOutcome.Status.QUEUED_AFTER_RUNNING);

			awaitLine(stream, "event:portfolio-updated");
		}
		SimItem after = this.simulator.item(itemId);
		assertThat(ExpectedPortfolio.of(after).totalValue()).isNotEqualTo(ExpectedPortfolio.of(before).totalValue());
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertTotalsMatch(api.get("/api/portfolio", token).expect(200).body(),
					ExpectedPortfolio.of(after)));
	}

	/**
	 * Link token, Link completed at the simulator, public token exchanged, first sync
	 * done: the item id.
	 */
	static String linkThroughTheApi(UserApiClient api, PlaidSimulator simulator, String token, String institution,
			String login) {
		String linkToken = api.post("/api/plaid/link-token", token, null)
			.expect(200)
			.body()
			.path("link_token")
			.asString();
		String publicToken = simulator.completeLink(linkToken, institution, login);
		String itemId = api.post("/api/plaid/items", token, Map.of("public_token", publicToken))
			.expect(201)
			.body()
			.path("item_id")
			.asString();
		awaitFirstSync(api, token, itemId);
		return itemId;
	}

	static void awaitFirstSync(UserApiClient api, String token, String itemId) {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			JsonNode items = api.get("/api/plaid/items", token).expect(200).body().path("items");
			for (JsonNode item : items) {
				if (item.path("item_id").asString().equals(itemId)) {
					return !item.path("last_synced").path("holdings").isNull()
							&& !item.path("last_synced").path("transactions_full_history").isNull();
				}
			}
			return false;
		});
	}

	static String aLoginWithOptionsCashAndANonInvestmentAccount(PlaidSimulator simulator, String institution,
			String prefix) {
		for (int attempt = 0; attempt < 60; attempt++) {
			String login = prefix + "-" + attempt;
			LinkedItem probe = simulator.createItem(institution, login, null);
			SimItem item = simulator.item(probe.itemId());
			boolean depository = item.accounts().stream().anyMatch((account) -> !"investment".equals(account.type()));
			Map<String, String> types = new TreeMap<>();
			item.securities().forEach((security) -> types.put(security.securityId(), security.type()));
			boolean options = item.holdings()
				.stream()
				.anyMatch((holding) -> "derivative".equals(types.get(holding.securityId())));
			boolean cash = item.holdings()
				.stream()
				.anyMatch((holding) -> "cash".equals(types.get(holding.securityId())));
			if (depository && options && cash) {
				return login;
			}
		}
		throw new AssertionError("no login among 60 has options, cash and a non-investment account");
	}

	static void assertTotalsMatch(JsonNode portfolio, ExpectedPortfolio expected) {
		Map<String, JsonNode> byCurrency = new TreeMap<>();
		portfolio.path("totals").forEach((total) -> byCurrency.put(total.path("currency").asString(), total));
		assertThat(byCurrency.keySet()).isEqualTo(expected.totalValue().keySet());
		expected.totalValue().forEach((currency, value) -> {
			JsonNode total = byCurrency.get(currency);
			assertThat(new BigDecimal(total.path("total_value").path("amount").asString())).as("total %s", currency)
				.isEqualByComparingTo(value);
			assertThat(total.path("total_value").path("currency").asString()).isEqualTo(currency);
			assertThat(new BigDecimal(total.path("cash").path("amount").asString())).as("cash %s", currency)
				.isEqualByComparingTo(expected.cash().getOrDefault(currency, BigDecimal.ZERO));
			assertThat(new BigDecimal(total.path("cost_basis").path("amount").asString())).as("cost basis %s", currency)
				.isEqualByComparingTo(expected.costBasis().getOrDefault(currency, BigDecimal.ZERO));
			assertThat(new BigDecimal(total.path("unrealized_gain").path("amount").asString())).as("gain %s", currency)
				.isEqualByComparingTo(expected.unrealizedGain().getOrDefault(currency, BigDecimal.ZERO));
			assertThat(new BigDecimal(total.path("balances_current").path("amount").asString()))
				.as("balances %s", currency)
				.isEqualByComparingTo(expected.balancesCurrent().getOrDefault(currency, BigDecimal.ZERO));
		});
	}

	private static SimHolding anEquityHolding(SimItem item) {
		Map<String, SimSecurity> securities = new TreeMap<>();
		item.securities().forEach((security) -> securities.put(security.securityId(), security));
		java.util.Set<String> investment = new java.util.HashSet<>();
		item.accounts()
			.stream()
			.filter((account) -> "investment".equals(account.type()))
			.forEach((account) -> investment.add(account.accountId()));
		return item.holdings()
			.stream()
			.filter((holding) -> investment.contains(holding.accountId()))
			.filter((holding) -> "equity".equals(securities.get(holding.securityId()).type()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no equity holding in " + item.itemId()));
	}

	static void awaitLine(UserApiClient.EventStream stream, String expected) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline) {
			String line = stream.lines().poll(500, TimeUnit.MILLISECONDS);
			if (line != null && line.replace(" ", "").equals(expected)) {
				return;
			}
		}
		throw new AssertionError("no '" + expected + "' on the stream within 30 s");
	}

}
