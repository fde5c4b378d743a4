package dev.plaidsync.plaid;

import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.plaid.client.model.AccountsGetResponse;
import com.plaid.client.model.Holding;
import com.plaid.client.model.InvestmentTransaction;
import com.plaid.client.model.InvestmentsHoldingsGetResponse;
import com.plaid.client.model.ItemPublicTokenExchangeResponse;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.simulator.SimHolding;
import dev.plaidsync.simulator.SimItem;
import dev.plaidsync.simulator.SimTransaction;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * The gateway through the real plaid-java client, over HTTP, to the simulator served by
 * the same engine.
 */
@EngineIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class PlaidGatewayIntegrationTests {

	private static final String EXCHANGE = "/item/public_token/exchange";

	@Autowired
	PlaidGateway gateway;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	MeterRegistry meters;

	@Test
	void holdingsMatchWhatTheSimulatorHolds() {
		ItemAccess item = link("ins_900001", "user_good");

		InvestmentsHoldingsGetResponse holdings = this.gateway.holdings(item, CallPriority.INTERACTIVE);

		SimItem expected = this.simulator.item(item.itemId());
		assertThat(holdings.getItem().getItemId()).isEqualTo(item.itemId());
		assertThat(holdings.getAccounts()).hasSameSizeAs(expected.accounts());
		assertThat(holdings.getHoldings()).hasSameSizeAs(expected.holdings()).isNotEmpty();
		assertThat(holdings.getSecurities()).hasSameSizeAs(expected.securities());
		Map<String, SimHolding> byPosition = expected.holdings()
			.stream()
			.collect(Collectors.toMap((h) -> h.accountId() + "/" + h.securityId(), (h) -> h));
		for (Holding holding : holdings.getHoldings()) {
			SimHolding sim = byPosition.get(holding.getAccountId() + "/" + holding.getSecurityId());
			assertThat(sim).as("holding %s/%s", holding.getAccountId(), holding.getSecurityId()).isNotNull();
			assertThat(holding.getQuantity()).isCloseTo(sim.quantity().doubleValue(), within(1e-6));
			assertThat(holding.getInstitutionValue()).isCloseTo(sim.institutionValue().doubleValue(), within(1e-6));
			assertThat(holding.getIsoCurrencyCode()).isEqualTo(sim.isoCurrencyCode());
		}
	}

	@Test
	void transactionsArePagedToPlaidsTotal() {
		ItemAccess item = link("ins_900002", "user_heavy_trader");
		LocalDate end = this.simulator.today();
		LocalDate start = end.minusMonths(24);
		long pagesBefore = this.simulator.stats().callsPerEndpoint().getOrDefault("/investments/transactions/get", 0L);

		InvestmentTransactionsWindow window = this.gateway.transactions(item, start, end, CallPriority.SWEEP);

		var expected = this.simulator.transactions(item.itemId(), start, end);
		assertThat(expected).hasSizeGreaterThan(500);
		assertThat(window.complete()).isTrue();
		assertThat(window.pages()).isGreaterThanOrEqualTo(2);
		assertThat(window.transactions()).hasSize(expected.size());
		assertThat(window.totalReported()).isEqualTo(expected.size());
		assertThat(window.transactions().stream().map(InvestmentTransaction::getInvestmentTransactionId))
			.doesNotHaveDuplicates()
			.containsExactlyElementsOf(expected.stream().map(SimTransaction::investmentTransactionId).toList());
		assertThat(this.simulator.stats().callsPerEndpoint().get("/investments/transactions/get") - pagesBefore)
			.isEqualTo(window.pages());
	}

	@Test
	void cachedAndRealTimeBalancesCoverEveryAccount() {
		ItemAccess item = link("ins_900004", "user_good");
		Set<String> accountIds = this.simulator.item(item.itemId())
			.accounts()
			.stream()
			.map((account) -> account.accountId())
			.collect(Collectors.toSet());

		AccountsGetResponse cached = this.gateway.accounts(item, CallPriority.SWEEP);
		AccountsGetResponse realTime = this.gateway.realTimeBalances(item, CallPriority.INTERACTIVE);

		assertThat(cached.getAccounts()).extracting((account) -> account.getAccountId())
			.containsExactlyInAnyOrderElementsOf(accountIds);
		assertThat(realTime.getAccounts()).extracting((account) -> account.getAccountId())
			.containsExactlyInAnyOrderElementsOf(accountIds);
		assertThat(cached.getAccounts()).allSatisfy((account) -> assertThat(account.getBalances()).isNotNull());
	}

	@Test
	void aPublicTokenIsExchangedOnceAndTheSecondExchangeFailsWithoutRetry(CapturedOutput output) {
		String publicToken = this.gateway.createSandboxPublicToken("ins_900001", "user_good").getPublicToken();
		ItemPublicTokenExchangeResponse exchanged = this.gateway.exchangePublicToken(publicToken);
		assertThat(exchanged.getItemId()).isNotBlank();
		assertThat(exchanged.getAccessToken()).startsWith("access-");
		long exchangesBefore = this.simulator.stats().callsPerEndpoint().get(EXCHANGE);

		PlaidFailure failure = catchThrowableOfType(PlaidFailure.class,
				() -> this.gateway.exchangePublicToken(publicToken));

		assertThat(failure.errorCode()).isEqualTo("INVALID_PUBLIC_TOKEN");
		assertThat(failure.kind()).isEqualTo(PlaidFailure.Kind.ITEM_FAILED);
		assertThat(failure.retryable()).isFalse();
		assertThat(this.simulator.stats().callsPerEndpoint().get(EXCHANGE)).isEqualTo(exchangesBefore + 1);
		assertThat(this.meters.get("plaid.failures")
			.tags("endpoint", "public_token_exchange", "error_code", "INVALID_PUBLIC_TOKEN")
			.counter()
			.count()).isGreaterThanOrEqualTo(1);
		assertThat(output.getAll()).doesNotContain(exchanged.getAccessToken());
	}

	@Test
	void aFailedCallNamesTheItemButNeverItsAccessToken(CapturedOutput output) {
		ItemAccess item = link("ins_900001", "user_good");
		this.simulator.requireLogin(item.itemId());

		PlaidFailure failure = catchThrowableOfType(PlaidFailure.class,
				() -> this.gateway.holdings(item, CallPriority.INTERACTIVE));

		assertThat(failure.errorCode()).isEqualTo("ITEM_LOGIN_REQUIRED");
		assertThat(failure.getMessage()).contains(item.itemId()).doesNotContain(item.accessToken());
		assertThat(failure.toString()).doesNotContain(item.accessToken());
		assertThat(item.toString()).doesNotContain(item.accessToken());
		assertThat(output.getAll()).doesNotContain(item.accessToken());
	}

	@Test
	void everyCallIsTimedByEndpointAndOutcome() {
		ItemAccess item = link("ins_900001", "user_good");
		double before = requests("holdings", "OK");

		this.gateway.holdings(item, CallPriority.SWEEP);
		this.gateway.holdings(item, CallPriority.INTERACTIVE);

		assertThat(requests("holdings", "OK")).isEqualTo(before + 2);
		assertThat(
				this.meters.get("plaid.budget.wait").tags("endpoint", "holdings", "priority", "sweep").timer().count())
			.isPositive();
		assertThat(this.meters.get("plaid.budget.wait")
			.tags("endpoint", "holdings", "priority", "interactive")
			.timer()
			.count()).isPositive();
	}

	private double requests(String endpoint, String outcome) {
		var timer = this.meters.find("plaid.requests").tags("endpoint", endpoint, "outcome", outcome).timer();
		return (timer != null) ? timer.count() : 0;
	}

	private ItemAccess link(String institutionId, String username) {
		String publicToken = this.gateway.createSandboxPublicToken(institutionId, username).getPublicToken();
		ItemPublicTokenExchangeResponse exchanged = this.gateway.exchangePublicToken(publicToken);
		return new ItemAccess(exchanged.getItemId(), institutionId, exchanged.getAccessToken());
	}

}
