package dev.plaidsync.portfolio;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.simulator.SimHolding;
import dev.plaidsync.simulator.SimItem;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP: every amount of every /api answer is a decimal string to the cent
 * ("5150.00", never "5150.0" or "0"), unit prices and average costs say {@code per_unit}
 * and keep their precision, and a method or query parameter the API does not know is a
 * 400 that says what it takes.
 */
@EngineIntegrationTest
class MoneyStringsIntegrationTests {

	private static final String CENTS = "-?\\d+\\.\\d{2}";

	@LocalServerPort
	int port;

	@Autowired
	PlaidSimulator simulator;

	@Test
	void everyAmountOfEveryAnswerIsToTheCentAndUnitPricesSaySo() {
		UserApiClient api = new UserApiClient(this.port);
		String run = UUID.randomUUID().toString().substring(0, 8);
		String login = NewUserJourneyIntegrationTests.aLoginWithOptionsCashAndANonInvestmentAccount(this.simulator,
				NewUserJourneyIntegrationTests.INSTITUTION, "money-" + run);
		String token = api.demoToken("money-" + run);
		String itemId = NewUserJourneyIntegrationTests.linkThroughTheApi(api, this.simulator, token,
				NewUserJourneyIntegrationTests.INSTITUTION, login);
		SimItem item = this.simulator.item(itemId);
		ExpectedPortfolio expected = ExpectedPortfolio.of(item);

		JsonNode portfolio = api.get("/api/portfolio", token).expect(200).body();
		for (JsonNode total : portfolio.path("totals")) {
			String currency = total.path("currency").asString();
			assertThat(total.path("total_value").path("amount").asString())
				.isEqualTo(cents(expected.totalValue().get(currency)));
			assertThat(total.path("cash").path("amount").asString())
				.isEqualTo(cents(expected.cash().getOrDefault(currency, BigDecimal.ZERO)));
			assertThat(total.path("cost_basis").path("amount").asString())
				.isEqualTo(cents(expected.costBasis().getOrDefault(currency, BigDecimal.ZERO)));
		}
		Map<String, SimHolding> simHoldings = new TreeMap<>();
		item.holdings()
			.forEach((holding) -> simHoldings.put(holding.accountId() + "|" + holding.securityId(), holding));
		int holdings = 0;
		int computed = 0;
		for (JsonNode account : portfolio.path("accounts")) {
			for (JsonNode holding : account.path("holdings")) {
				SimHolding sim = simHoldings
					.get(account.path("account_id").asString() + "|" + holding.path("security_id").asString());
				assertThat(holding.path("institution_value").path("amount").asString())
					.isEqualTo(cents(sim.institutionValue()));
				assertThat(holding.path("institution_price").has("amount")).isFalse();
				assertThat(new BigDecimal(holding.path("institution_price").path("per_unit").asString()))
					.isEqualByComparingTo(sim.institutionPrice());
				JsonNode basis = holding.path("computed_cost_basis");
				if (!basis.isMissingNode() && !basis.isNull()) {
					computed++;
					assertThat(basis.path("amount").asString()).matches(CENTS);
					assertThat(basis.path("realized_gain").path("amount").asString()).matches(CENTS);
					assertThat(basis.path("average_cost").has("amount")).isFalse();
				}
				holdings++;
			}
		}
		assertThat(holdings).isPositive();
		assertThat(computed).isPositive();
		List<String> amounts = new ArrayList<>();
		collectAmounts(portfolio, amounts);

		JsonNode transactions = api
			.get("/api/portfolio/transactions?size=500&start_date=" + java.time.LocalDate.now().minusMonths(24), token)
			.expect(200)
			.body();
		assertThat(transactions.path("transactions").size()).isPositive();
		for (JsonNode transaction : transactions.path("transactions")) {
			assertThat(transaction.path("amount").path("amount").asString()).matches(CENTS);
			assertThat(transaction.path("price").has("amount")).isFalse();
		}
		collectAmounts(transactions, amounts);
		collectAmounts(api.get("/api/portfolio/history", token).expect(200).body(), amounts);
		collectAmounts(api.get("/api/webhook-events", token).expect(200).body(), amounts);

		assertThat(amounts).isNotEmpty().allSatisfy((amount) -> assertThat(amount).matches(CENTS));
	}

	@Test
	void aMethodOrParameterTheApiDoesNotKnowIsA400ThatSaysWhatItTakes() {
		UserApiClient api = new UserApiClient(this.port);
		String token = api.demoToken("params-" + UUID.randomUUID());

		UserApiClient.Answer method = api.get("/api/portfolio?method=bogus", token).expect(400);
		assertThat(method.body().path("error").asString()).isEqualTo("invalid_method");
		assertThat(method.body().path("message").asString())
			.isEqualTo("method must be average (average cost), got 'bogus'.");
		api.get("/api/portfolio?method=average", token).expect(200);

		UserApiClient.Answer unknown = api.get("/api/portfolio?metod=average", token).expect(400);
		assertThat(unknown.body().path("error").asString()).isEqualTo("unknown_parameter");
		assertThat(unknown.body().path("message").asString())
			.isEqualTo("GET /api/portfolio does not take 'metod'; it takes method.");
		assertThat(
				api.get("/api/portfolio/history?form=2026-01-01", token).expect(400).body().path("message").asString())
			.isEqualTo("GET /api/portfolio/history does not take 'form'; it takes from, to.");
		assertThat(api.get("/api/portfolio/transactions?limit=5", token).expect(400).body().path("message").asString())
			.isEqualTo("GET /api/portfolio/transactions does not take 'limit'; "
					+ "it takes account_id, end_date, page, size, start_date.");
		assertThat(api.get("/api/plaid/items?all=1", token).expect(400).body().path("message").asString())
			.endsWith("it takes no query parameters.");
	}

	private static String cents(BigDecimal value) {
		return value.setScale(2, RoundingMode.HALF_UP).toPlainString();
	}

	/**
	 * Every {@code amount} of a money object ({@code amount} and {@code currency})
	 * anywhere in the answer.
	 */
	private static void collectAmounts(JsonNode node, List<String> amounts) {
		if (node.isObject()) {
			if (node.has("amount") && node.has("currency") && node.path("amount").isString()) {
				amounts.add(node.path("amount").asString());
			}
			node.properties().forEach((entry) -> collectAmounts(entry.getValue(), amounts));
		}
		else if (node.isArray()) {
			node.forEach((element) -> collectAmounts(element, amounts));
		}
	}

}
