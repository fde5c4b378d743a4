package dev.plaidsync.portfolio;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
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

@EngineIntegrationTest
class ForceSyncIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	PlaidSimulator simulator;

	@Test
	void forceSyncAnswersTheFreshTotalAndASecondOneWithinTheLimitIsRefusedWithRetryAfter() {
		UserApiClient api = new UserApiClient(this.port);
		String run = UUID.randomUUID().toString().substring(0, 8);
		String token = api.demoToken("force-" + run);
		String itemId = NewUserJourneyIntegrationTests.linkThroughTheApi(api, this.simulator, token, "ins_900004",
				"force-" + run);
		api.get("/api/portfolio", token).expect(200);
		SimItem before = this.simulator.item(itemId);
		SimHolding holding = before.holdings()
			.stream()
			.filter((candidate) -> before.accounts()
				.stream()
				.anyMatch((account) -> account.accountId().equals(candidate.accountId())
						&& "investment".equals(account.type())))
			.filter((candidate) -> candidate.institutionPrice().signum() > 0 && candidate.quantity().signum() > 0)
			.filter((candidate) -> before.securities()
				.stream()
				.anyMatch((security) -> security.securityId().equals(candidate.securityId())
						&& ("equity".equals(security.type()) || "etf".equals(security.type()))))
			.findFirst()
			.orElseThrow();
		this.simulator.setPrice(holding.securityId(),
				holding.institutionPrice().add(new BigDecimal("7.00")).setScale(2, RoundingMode.HALF_UP));
		Instant requested = Instant.now();

		UserApiClient.Answer answer = api.post("/api/portfolio/force-sync", token, null).expect(200);

		JsonNode body = answer.body();
		assertThat(body.path("success").asBoolean()).as(answer.raw()).isTrue();
		ExpectedPortfolio expected = ExpectedPortfolio.of(this.simulator.item(itemId));
		Map<String, BigDecimal> totals = new TreeMap<>();
		body.path("total_value")
			.forEach((total) -> totals.put(total.path("currency").asString(),
					new BigDecimal(total.path("amount").asString())));
		assertThat(totals.keySet()).isEqualTo(expected.totalValue().keySet());
		expected.totalValue()
			.forEach((currency, value) -> assertThat(totals.get(currency)).isEqualByComparingTo(value));
		assertThat(totals).containsKey("CAD");
		Instant lastUpdated = Instant.parse(body.path("last_updated").asString());
		assertThat(lastUpdated).as("when Plaid's data is from, not when we fetched it").isBefore(requested);
		NewUserJourneyIntegrationTests.assertTotalsMatch(api.get("/api/portfolio", token).expect(200).body(), expected);

		UserApiClient.Answer again = api.post("/api/portfolio/force-sync", token, null).expect(429);
		long retryAfter = Long.parseLong(again.headers().firstValue("Retry-After").orElseThrow());
		assertThat(retryAfter).isBetween(1L, 60L);
		assertThat(again.body().path("error").asString()).isEqualTo("too_many_force_syncs");
	}

}
