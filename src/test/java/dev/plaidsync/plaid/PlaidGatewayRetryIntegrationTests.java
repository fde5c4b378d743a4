package dev.plaidsync.plaid;

import javax.sql.DataSource;

import com.plaid.client.model.InvestmentsHoldingsGetResponse;
import com.plaid.client.model.ItemPublicTokenExchangeResponse;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Retries and classification against a misbehaving simulator. Retries are fast here, and
 * the per-item limits are raised so that only the injected faults decide the number of
 * attempts.
 */
@EngineIntegrationTest
@TestPropertySource(properties = { "plaid.retry.initial-delay=20ms", "plaid.retry.max-delay=100ms",
		"plaid.retry.jitter=10ms", "plaid.retry.max-retries=20", "plaid.budget.rate-limit-penalty=0",
		"plaid.budget.item-limits-per-minute.holdings=1000", "plaidsync.simulator.limits.holdings-per-item=1000",
		"plaidsync.simulator.latency=0ms", "plaidsync.simulator.latency-jitter=0ms" })
class PlaidGatewayRetryIntegrationTests {

	private static final String HOLDINGS = "/investments/holdings/get";

	@Autowired
	PlaidGateway gateway;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	MeterRegistry meters;

	@AfterEach
	void calmTheSimulator() {
		this.simulator.setErrorRates(0, 0, 0);
		this.simulator.setAcceptedCredentials(null, null);
	}

	@Test
	void rateLimitsAndServerErrorsAreRetriedUntilEveryCallSucceeds() {
		ItemAccess item = link("user_good");
		long callsBefore = holdingsCalls(item);
		double rateLimitedBefore = requests("INVESTMENT_HOLDINGS_GET_LIMIT");
		double serverErrorsBefore = requests("INTERNAL_SERVER_ERROR");
		int expectedHoldings = this.simulator.item(item.itemId()).holdings().size();
		this.simulator.setErrorRates(0.3, 0.3, 0);

		for (int i = 0; i < 40; i++) {
			InvestmentsHoldingsGetResponse holdings = this.gateway.holdings(item, CallPriority.SWEEP);
			assertThat(holdings.getHoldings()).hasSize(expectedHoldings);
		}

		long attempts = holdingsCalls(item) - callsBefore;
		double rateLimited = requests("INVESTMENT_HOLDINGS_GET_LIMIT") - rateLimitedBefore;
		double serverErrors = requests("INTERNAL_SERVER_ERROR") - serverErrorsBefore;
		assertThat(rateLimited).isPositive();
		assertThat(serverErrors).isPositive();
		assertThat(attempts).isEqualTo(40 + (long) rateLimited + (long) serverErrors);
		assertThat(attempts).as("about 40 / 0.4 attempts").isBetween(60L, 200L);
	}

	@Test
	void aLoginRequiredItemNeedsItsUserAtOnceAfterOneCall() {
		ItemAccess item = link("user_good");
		this.simulator.requireLogin(item.itemId());
		long callsBefore = holdingsCalls(item);

		PlaidFailure failure = catchThrowableOfType(PlaidFailure.class,
				() -> this.gateway.holdings(item, CallPriority.SWEEP));

		assertThat(failure.kind()).isEqualTo(PlaidFailure.Kind.ITEM_NEEDS_USER);
		assertThat(failure.errorCode()).isEqualTo("ITEM_LOGIN_REQUIRED");
		assertThat(failure.itemId()).isEqualTo(item.itemId());
		assertThat(holdingsCalls(item) - callsBefore).isEqualTo(1);
	}

	@Test
	void rejectedApiKeysAreSystemicAndNotRetried(@Autowired PlaidProperties properties,
			@Autowired Environment environment, @Autowired DataSource dataSource, @Autowired JsonMapper json,
			@LocalServerPort int port) {
		ItemAccess item = link("user_good");
		this.simulator.setAcceptedCredentials("simulator-client", "simulator-secret");
		PlaidProperties rotatedSecret = new PlaidProperties("sandbox", "simulator-client", "a-rotated-secret",
				"http://localhost:" + port + "/simulator/plaid/", "http://localhost:" + port + "/webhook/plaid",
				properties.clientName(), properties.timeouts(), properties.retry(), properties.budget());
		PlaidGateway misconfigured = new PlaidConfiguration().plaidGateway(rotatedSecret, environment, dataSource,
				this.meters, json);
		long callsBefore = holdingsCalls(item);

		PlaidFailure failure = catchThrowableOfType(PlaidFailure.class,
				() -> misconfigured.holdings(item, CallPriority.SWEEP));

		assertThat(failure.kind()).isEqualTo(PlaidFailure.Kind.SYSTEMIC);
		assertThat(failure.errorCode()).isEqualTo("INVALID_API_KEYS");
		assertThat(failure.retryable()).isFalse();
		assertThat(holdingsCalls(item) - callsBefore).isEqualTo(1);
		assertThat(this.gateway.holdings(item, CallPriority.SWEEP).getHoldings()).as("the engine's own keys still work")
			.isNotEmpty();
	}

	private long holdingsCalls(ItemAccess item) {
		return this.simulator.stats()
			.callsPerEndpointPerItem()
			.getOrDefault(HOLDINGS, java.util.Map.of())
			.getOrDefault(item.itemId(), 0L);
	}

	private double requests(String outcome) {
		var timer = this.meters.find("plaid.requests").tags("endpoint", "holdings", "outcome", outcome).timer();
		return (timer != null) ? timer.count() : 0;
	}

	private ItemAccess link(String username) {
		String publicToken = this.gateway.createSandboxPublicToken("ins_900001", username).getPublicToken();
		ItemPublicTokenExchangeResponse exchanged = this.gateway.exchangePublicToken(publicToken);
		return new ItemAccess(exchanged.getItemId(), "ins_900001", exchanged.getAccessToken());
	}

}
