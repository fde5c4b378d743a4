package dev.plaidsync.simulator;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ItemDataTests {

	private static RunningSimulator sim;

	@BeforeAll
	static void start() {
		sim = RunningSimulator.shared();
	}

	private static JsonNode holdings(RunningSimulator on, String accessToken) {
		RunningSimulator.Answer answer = on.plaid("/investments/holdings/get", Map.of("access_token", accessToken));
		assertThat(answer.status()).isEqualTo(200);
		ObjectNode body = (ObjectNode) answer.body();
		body.remove("request_id");
		return body;
	}

	@Test
	void holdingsAreReproducible() {
		LinkedItem item = sim.simulator().createItem("ins_900001", "user_repeat", null);
		assertThat(holdings(sim, item.accessToken()).equals(holdings(sim, item.accessToken()))).isTrue();
	}

	@Test
	void anItemSurvivesASimulatorRestart() {
		LinkedItem item = sim.simulator().createItem("ins_900004", "user_restart", null);
		JsonNode before = holdings(sim, item.accessToken());
		try (RunningSimulator restarted = RunningSimulator.start()) {
			JsonNode after = holdings(restarted, item.accessToken());
			assertThat(after.equals(before)).as("holdings after a restart equal those before").isTrue();
			assertThat(restarted.simulator().item(item.itemId()).accounts()).isNotEmpty();
		}
	}

	@Test
	void linkingTheSameLoginTwiceGivesTheSameInstitutionAndMasks() {
		LinkedItem first = sim.simulator().createItem("ins_900002", "user_twice", null);
		LinkedItem second = sim.simulator().createItem("ins_900002", "user_twice", null);
		assertThat(second.itemId()).isNotEqualTo(first.itemId());
		SimItem a = sim.simulator().item(first.itemId());
		SimItem b = sim.simulator().item(second.itemId());
		assertThat(b.institution()).isEqualTo(a.institution());
		assertThat(b.accounts()).extracting(SimAccount::mask, SimAccount::subtype)
			.isEqualTo(a.accounts()
				.stream()
				.map(x -> org.assertj.core.groups.Tuple.tuple(x.mask(), x.subtype()))
				.toList());
		assertThat(b.accounts()).extracting(SimAccount::accountId)
			.doesNotContainAnyElementsOf(a.accounts().stream().map(SimAccount::accountId).toList());
	}

	@Test
	void canadianItemsHoldCanadianDollars() {
		SimItem item = sim.simulator().item(sim.simulator().createItem("ins_900004", "user_canada", null).itemId());
		assertThat(item.holdings()).allSatisfy(h -> assertThat(h.isoCurrencyCode()).isEqualTo("CAD"));
		assertThat(item.securities()).anySatisfy(s -> {
			assertThat(s.tickerSymbol()).isEqualTo("CUR:CAD");
			assertThat(s.type()).isEqualTo("cash");
			assertThat(s.cashEquivalent()).isTrue();
		});
	}

	@Test
	void holdingsObeyPlaidsRules() {
		for (int i = 0; i < 10; i++) {
			SimItem item = sim.simulator()
				.item(sim.simulator().createItem("ins_900001", "user_rules_" + i, null).itemId());
			long investmentAccounts = item.accounts().stream().filter(a -> a.type().equals("investment")).count();
			assertThat(investmentAccounts).isBetween(1L, 4L);
			for (SimHolding h : item.holdings()) {
				assertThat(h.isoCurrencyCode() == null).isNotEqualTo(h.unofficialCurrencyCode() == null);
				SimSecurity security = item.securities()
					.stream()
					.filter(s -> s.securityId().equals(h.securityId()))
					.findFirst()
					.orElseThrow();
				if (security.type().equals("derivative")) {
					assertThat(h.quantity().remainder(BigDecimal.valueOf(100))).isZero();
					assertThat(h.institutionValue())
						.isNotEqualByComparingTo(h.quantity().multiply(h.institutionPrice()));
				}
			}
			item.accounts().stream().filter(a -> a.type().equals("investment")).forEach(a -> {
				long holdings = item.holdings().stream().filter(h -> h.accountId().equals(a.accountId())).count();
				assertThat(holdings).isBetween(5L, 40L);
			});
		}
	}

	@Test
	void commandsChangeWhatPlaidAnswers() {
		PlaidSimulator simulator = sim.simulator();
		LinkedItem linked = simulator.createItem("ins_900001", "user_commands", null);
		SimItem item = simulator.item(linked.itemId());
		SimHolding sold = item.holdings()
			.stream()
			.filter(h -> !h.institutionPrice().equals(BigDecimal.ONE.setScale(2)))
			.findFirst()
			.orElseThrow();
		sim.control().sellPosition(linked.itemId(), sold.accountId(), sold.securityId());
		assertThat(simulator.item(linked.itemId()).holdings())
			.noneMatch(h -> h.accountId().equals(sold.accountId()) && h.securityId().equals(sold.securityId()));

		SimHolding repriced = simulator.item(linked.itemId()).holdings().get(1);
		sim.control().setPrice(repriced.securityId(), new BigDecimal("123.45"));
		assertThat(simulator.item(linked.itemId()).securities())
			.filteredOn(s -> s.securityId().equals(repriced.securityId()))
			.singleElement()
			.satisfies(s -> assertThat(s.closePrice()).isEqualByComparingTo("123.45"));

		LocalDate today = simulator.today();
		List<SimTransaction> history = simulator.transactions(linked.itemId(), today.minusYears(2), today);
		SimTransaction removed = history.get(history.size() / 2);
		sim.control().removeTransaction(linked.itemId(), removed.investmentTransactionId());
		JsonNode added = sim.control()
			.addTransaction(linked.itemId(), null, today.minusDays(10), new BigDecimal("-5.00"));
		List<SimTransaction> after = simulator.transactions(linked.itemId(), today.minusYears(2), today);
		assertThat(after).extracting(SimTransaction::investmentTransactionId)
			.doesNotContain(removed.investmentTransactionId())
			.contains(added.path("investment_transaction_id").asString());
		await().atMost(Duration.ofSeconds(5))
			.until(() -> simulator.deliveries()
				.stream()
				.filter(d -> d.itemId().equals(linked.itemId()) && d.webhookType().equals("INVESTMENTS_TRANSACTIONS"))
				.count() == 2);

		String closed = item.accounts().get(0).accountId();
		sim.control().closeAccount(linked.itemId(), closed);
		JsonNode answer = holdings(sim, linked.accessToken());
		assertThat(answer.path("accounts").findValuesAsString("account_id")).doesNotContain(closed);
		assertThat(answer.path("holdings").findValuesAsString("account_id")).doesNotContain(closed);
	}

	@Test
	void advancingTheDayMovesPricesAndKeepsHistory() {
		try (RunningSimulator own = RunningSimulator.start()) {
			advanceDayOn(own);
		}
	}

	private static void advanceDayOn(RunningSimulator sim) {
		PlaidSimulator simulator = sim.simulator();
		LinkedItem linked = simulator.createItem("ins_900002", "user_heavy_days", null);
		LocalDate start = simulator.today().minusMonths(6);
		LocalDate end = simulator.today();
		List<SimTransaction> before = simulator.transactions(linked.itemId(), start, end);
		SimItem itemBefore = simulator.item(linked.itemId());
		LocalDate tomorrow = sim.control().advanceDays(1);
		assertThat(tomorrow).isEqualTo(end.plusDays(1));
		assertThat(simulator.transactions(linked.itemId(), start, end)).isEqualTo(before);
		assertThat(simulator.item(linked.itemId()).securities()).extracting(SimSecurity::closePrice)
			.isNotEqualTo(itemBefore.securities().stream().map(SimSecurity::closePrice).toList());
	}

	@Test
	void completingANormalLinkTokenGivesAPublicTokenForItsWebhook() {
		String linkToken = sim.plaid("/link/token/create",
				Map.of("client_name", "Plaid Sync", "language", "en", "country_codes", List.of("US", "CA"), "user",
						Map.of("client_user_id", "user-42"), "products", List.of("investments"), "webhook",
						"http://localhost:9/hooks/plaid"))
			.body()
			.path("link_token")
			.asString();
		String publicToken = sim.control().completeLink(linkToken, "ins_900004", "user_link");
		JsonNode exchanged = sim.plaid("/item/public_token/exchange", Map.of("public_token", publicToken)).body();
		SimItem item = sim.simulator().item(exchanged.path("item_id").asString());
		assertThat(item.webhookUrl()).isEqualTo("http://localhost:9/hooks/plaid");
		assertThat(item.institution().institutionId()).isEqualTo("ins_900004");
	}

}
