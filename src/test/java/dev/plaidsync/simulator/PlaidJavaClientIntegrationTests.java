package dev.plaidsync.simulator;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.plaid.client.ApiClient;
import com.plaid.client.model.AccountsGetRequest;
import com.plaid.client.model.AccountsGetResponse;
import com.plaid.client.model.InvestmentTransaction;
import com.plaid.client.model.InvestmentsHoldingsGetRequest;
import com.plaid.client.model.InvestmentsHoldingsGetResponse;
import com.plaid.client.model.InvestmentsTransactionsGetRequest;
import com.plaid.client.model.InvestmentsTransactionsGetRequestOptions;
import com.plaid.client.model.InvestmentsTransactionsGetResponse;
import com.plaid.client.model.ItemPublicTokenExchangeRequest;
import com.plaid.client.model.ItemPublicTokenExchangeResponse;
import com.plaid.client.model.PlaidError;
import com.plaid.client.model.Products;
import com.plaid.client.model.SandboxPublicTokenCreateRequest;
import com.plaid.client.model.SandboxPublicTokenCreateRequestOptions;
import com.plaid.client.request.PlaidApi;
import com.google.gson.Gson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import retrofit2.Response;

import static org.assertj.core.api.Assertions.assertThat;

class PlaidJavaClientIntegrationTests {

	private static RunningSimulator sim;

	@BeforeAll
	static void start() {
		sim = RunningSimulator.shared();
	}

	private static PlaidApi client(String baseUrl, String clientId, String secret) {
		ApiClient apiClient = new ApiClient(Map.of("clientId", clientId, "secret", secret));
		apiClient.setPlaidAdapter(baseUrl);
		return apiClient.createService(PlaidApi.class);
	}

	private static PlaidApi client() {
		return client(sim.plaidUrl(), "plaid-java-client", "plaid-java-secret");
	}

	private static PlaidError error(Response<?> response) throws IOException {
		return new Gson().fromJson(response.errorBody().string(), PlaidError.class);
	}

	private static String publicToken(PlaidApi plaid, String username) throws IOException {
		Response<com.plaid.client.model.SandboxPublicTokenCreateResponse> created = plaid
			.sandboxPublicTokenCreate(new SandboxPublicTokenCreateRequest().institutionId("ins_900001")
				.initialProducts(List.of(Products.INVESTMENTS))
				.options(new SandboxPublicTokenCreateRequestOptions().overrideUsername(username)))
			.execute();
		assertThat(created.isSuccessful()).isTrue();
		return created.body().getPublicToken();
	}

	@Test
	void linksAnItemAndReadsItsHoldings() throws IOException {
		PlaidApi plaid = client();
		Response<ItemPublicTokenExchangeResponse> exchanged = plaid
			.itemPublicTokenExchange(new ItemPublicTokenExchangeRequest().publicToken(publicToken(plaid, "user_good")))
			.execute();
		assertThat(exchanged.isSuccessful()).isTrue();
		String accessToken = exchanged.body().getAccessToken();
		assertThat(accessToken).startsWith("access-sandbox-");

		Response<InvestmentsHoldingsGetResponse> holdings = plaid
			.investmentsHoldingsGet(new InvestmentsHoldingsGetRequest().accessToken(accessToken))
			.execute();
		assertThat(holdings.isSuccessful()).isTrue();
		SimItem expected = sim.simulator().item(accessToken);
		assertThat(holdings.body().getItem().getItemId()).isEqualTo(exchanged.body().getItemId());
		assertThat(holdings.body().getHoldings()).hasSize(expected.holdings().size());
		assertThat(holdings.body().getHoldings().get(0).getInstitutionValue())
			.isEqualTo(expected.holdings().get(0).institutionValue().doubleValue());
		assertThat(holdings.body().getSecurities())
			.anySatisfy(s -> assertThat(s.getTickerSymbol()).isEqualTo("CUR:USD"));

		Response<AccountsGetResponse> accounts = plaid.accountsGet(new AccountsGetRequest().accessToken(accessToken))
			.execute();
		assertThat(accounts.body().getAccounts()).hasSize(expected.accounts().size());
	}

	@Test
	void aBaseUrlWithATrailingSlashWorksToo() throws IOException {
		PlaidApi plaid = client(sim.plaidUrl() + "/", "plaid-java-client", "plaid-java-secret");
		assertThat(publicToken(plaid, "user_slash")).startsWith("public-sandbox-");
	}

	@Test
	void pagesThroughMoreThan500Transactions() throws IOException {
		PlaidApi plaid = client();
		String accessToken = plaid
			.itemPublicTokenExchange(new ItemPublicTokenExchangeRequest().publicToken(publicToken(plaid, "user_heavy")))
			.execute()
			.body()
			.getAccessToken();
		LocalDate end = sim.simulator().today();
		LocalDate start = end.minusMonths(24);
		List<InvestmentTransaction> all = new ArrayList<>();
		int total;
		do {
			Response<InvestmentsTransactionsGetResponse> page = plaid
				.investmentsTransactionsGet(new InvestmentsTransactionsGetRequest().accessToken(accessToken)
					.startDate(start)
					.endDate(end)
					.options(new InvestmentsTransactionsGetRequestOptions().count(500).offset(all.size())))
				.execute();
			assertThat(page.isSuccessful()).isTrue();
			total = page.body().getTotalInvestmentTransactions();
			assertThat(page.body().getInvestmentTransactions()).isNotEmpty();
			all.addAll(page.body().getInvestmentTransactions());
		}
		while (all.size() < total);
		assertThat(total).isGreaterThan(500);
		assertThat(all).hasSize(total);
		Set<String> ids = new HashSet<>();
		all.forEach(t -> ids.add(t.getInvestmentTransactionId()));
		assertThat(ids).hasSize(total);
		for (int i = 1; i < all.size(); i++) {
			assertThat(all.get(i).getDate()).isBeforeOrEqualTo(all.get(i - 1).getDate());
		}
		assertThat(all).anySatisfy(t -> assertThat(t.getType().getValue()).isEqualTo("cancel"));
		assertThat(all.stream().map(InvestmentTransaction::getInvestmentTransactionId).toList())
			.isEqualTo(sim.simulator()
				.transactions(accessToken, start, end)
				.stream()
				.map(SimTransaction::investmentTransactionId)
				.toList());
	}

	@Test
	void aPublicTokenExchangesOnlyOnce() throws IOException {
		PlaidApi plaid = client();
		String publicToken = publicToken(plaid, "user_once");
		assertThat(plaid.itemPublicTokenExchange(new ItemPublicTokenExchangeRequest().publicToken(publicToken))
			.execute()
			.isSuccessful()).isTrue();
		Response<ItemPublicTokenExchangeResponse> again = plaid
			.itemPublicTokenExchange(new ItemPublicTokenExchangeRequest().publicToken(publicToken))
			.execute();
		assertThat(again.isSuccessful()).isFalse();
		assertThat(again.code()).isEqualTo(400);
		assertThat(error(again).getErrorCode()).isEqualTo("INVALID_PUBLIC_TOKEN");
	}

	@Test
	void missingCredentialsAnswerInvalidApiKeys() throws IOException {
		PlaidApi plaid = client(sim.plaidUrl(), "", "");
		Response<InvestmentsHoldingsGetResponse> response = plaid
			.investmentsHoldingsGet(new InvestmentsHoldingsGetRequest().accessToken("access-sandbox-whatever"))
			.execute();
		assertThat(response.code()).isEqualTo(400);
		PlaidError error = error(response);
		assertThat(error.getErrorCode()).isEqualTo("INVALID_API_KEYS");
		assertThat(error.getErrorType().getValue()).isEqualTo("INVALID_INPUT");
	}

	@Test
	void pinnedCredentialsRejectOtherKeysAndStillCountTheCall() throws IOException {
		String accessToken = sim.control().createItem("ins_900001", "user_good", null).accessToken();
		sim.control().setAcceptedCredentials("pinned-client", "pinned-secret");
		try {
			long before = sim.control().callTimes("/investments/holdings/get").size();
			Response<InvestmentsHoldingsGetResponse> rejected = client(sim.plaidUrl(), "pinned-client", "old-secret")
				.investmentsHoldingsGet(new InvestmentsHoldingsGetRequest().accessToken(accessToken))
				.execute();
			Response<InvestmentsHoldingsGetResponse> accepted = client(sim.plaidUrl(), "pinned-client", "pinned-secret")
				.investmentsHoldingsGet(new InvestmentsHoldingsGetRequest().accessToken(accessToken))
				.execute();

			assertThat(rejected.code()).isEqualTo(400);
			assertThat(error(rejected).getErrorCode()).isEqualTo("INVALID_API_KEYS");
			assertThat(accepted.code()).isEqualTo(200);
			assertThat(sim.control().callTimes("/investments/holdings/get")).hasSize((int) before + 2);
		}
		finally {
			sim.control().setAcceptedCredentials(null, null);
		}
	}

}
