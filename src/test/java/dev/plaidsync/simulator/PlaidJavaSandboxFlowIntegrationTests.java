package dev.plaidsync.simulator;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.plaid.client.ApiClient;
import com.plaid.client.model.CountryCode;
import com.plaid.client.model.Institution;
import com.plaid.client.model.InstitutionsGetByIdRequest;
import com.plaid.client.model.InstitutionsGetByIdResponse;
import com.plaid.client.model.InstitutionsGetRequest;
import com.plaid.client.model.InstitutionsGetRequestOptions;
import com.plaid.client.model.InstitutionsGetResponse;
import com.plaid.client.model.InstitutionsSearchRequest;
import com.plaid.client.model.InstitutionsSearchResponse;
import com.plaid.client.model.InvestmentsHoldingsGetRequest;
import com.plaid.client.model.InvestmentsHoldingsGetResponse;
import com.plaid.client.model.ItemPublicTokenExchangeRequest;
import com.plaid.client.model.ItemPublicTokenExchangeResponse;
import com.plaid.client.model.PlaidError;
import com.plaid.client.model.Products;
import com.plaid.client.model.SandboxPublicTokenCreateRequest;
import com.plaid.client.model.SandboxPublicTokenCreateResponse;
import com.plaid.client.request.PlaidApi;
import org.junit.jupiter.api.Test;
import retrofit2.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Sandbox flow of Plaid's own quickstart, written against plaid-java as for Plaid's
 * Sandbox, run against the simulator: find First Platypus Bank, create a public token
 * there, exchange it, read holdings.
 */
class PlaidJavaSandboxFlowIntegrationTests {

	private static PlaidApi plaid() {
		ApiClient apiClient = new ApiClient(Map.of("clientId", "sandbox-client", "secret", "sandbox-secret"));
		apiClient.setPlaidAdapter(RunningSimulator.shared().plaidUrl());
		return apiClient.createService(PlaidApi.class);
	}

	@Test
	void theSandboxQuickstartFlowRunsUnchanged() throws IOException {
		PlaidApi plaid = plaid();

		Response<InstitutionsSearchResponse> search = plaid
			.institutionsSearch(new InstitutionsSearchRequest().query("First Platypus")
				.countryCodes(List.of(CountryCode.US))
				.products(List.of(Products.INVESTMENTS)))
			.execute();
		assertThat(search.isSuccessful()).isTrue();
		assertThat(search.body().getInstitutions()).extracting(Institution::getInstitutionId).contains("ins_109508");

		Response<InstitutionsGetByIdResponse> byId = plaid
			.institutionsGetById(
					new InstitutionsGetByIdRequest().institutionId("ins_109508").countryCodes(List.of(CountryCode.US)))
			.execute();
		assertThat(byId.isSuccessful()).isTrue();
		assertThat(byId.body().getInstitution().getName()).isEqualTo("First Platypus Bank");
		assertThat(byId.body().getInstitution().getProducts()).contains(Products.INVESTMENTS);

		Response<InstitutionsGetResponse> all = plaid
			.institutionsGet(new InstitutionsGetRequest().count(5)
				.offset(0)
				.countryCodes(List.of(CountryCode.US, CountryCode.CA))
				.options(new InstitutionsGetRequestOptions().products(List.of(Products.INVESTMENTS))))
			.execute();
		assertThat(all.isSuccessful()).isTrue();
		assertThat(all.body().getInstitutions()).hasSizeLessThanOrEqualTo(5);
		assertThat(all.body().getTotal()).isGreaterThan(5);

		Response<SandboxPublicTokenCreateResponse> created = plaid
			.sandboxPublicTokenCreate(new SandboxPublicTokenCreateRequest().institutionId("ins_109508")
				.initialProducts(List.of(Products.INVESTMENTS)))
			.execute();
		assertThat(created.isSuccessful()).isTrue();
		Response<ItemPublicTokenExchangeResponse> exchanged = plaid
			.itemPublicTokenExchange(new ItemPublicTokenExchangeRequest().publicToken(created.body().getPublicToken()))
			.execute();
		assertThat(exchanged.isSuccessful()).isTrue();
		Response<InvestmentsHoldingsGetResponse> holdings = plaid
			.investmentsHoldingsGet(new InvestmentsHoldingsGetRequest().accessToken(exchanged.body().getAccessToken()))
			.execute();
		assertThat(holdings.isSuccessful()).isTrue();
		assertThat(holdings.body().getItem().getInstitutionId()).isEqualTo("ins_109508");
		assertThat(holdings.body().getHoldings()).isNotEmpty();
	}

	@Test
	void anUnknownInstitutionIsPlaidsInvalidInstitution() throws IOException {
		Response<InstitutionsGetByIdResponse> unknown = plaid()
			.institutionsGetById(
					new InstitutionsGetByIdRequest().institutionId("ins_0000000").countryCodes(List.of(CountryCode.US)))
			.execute();
		assertThat(unknown.isSuccessful()).isFalse();
		assertThat(unknown.code()).isEqualTo(400);
		PlaidError error = new Gson().fromJson(unknown.errorBody().string(), PlaidError.class);
		assertThat(String.valueOf(error.getErrorType())).isEqualTo("INVALID_INPUT");
		assertThat(error.getErrorCode()).isEqualTo("INVALID_INSTITUTION");
	}

}
