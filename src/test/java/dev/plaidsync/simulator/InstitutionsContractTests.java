package dev.plaidsync.simulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plaid's Sandbox institutions and the {@code /institutions/*} endpoints, every answer
 * checked against Plaid's spec.
 */
class InstitutionsContractTests {

	private static final List<String> PLAID_SANDBOX_IDS = List.of("ins_109508", "ins_109509", "ins_109510",
			"ins_109511", "ins_109512", "ins_109513", "ins_130016", "ins_127287", "ins_132241", "ins_43", "ins_116834",
			"ins_117650", "ins_117181");

	private static RunningSimulator sim;

	private static PlaidSpec spec;

	@BeforeAll
	static void start() {
		sim = RunningSimulator.shared();
		spec = PlaidSpec.get();
	}

	private static JsonNode ok(String schema, String path, Map<String, ?> request) {
		RunningSimulator.Answer answer = sim.plaid(path, request);
		assertThat(answer.status()).as("%s answered %s", path, answer.raw()).isEqualTo(200);
		assertThat(spec.validate(schema, answer.body())).as(answer.raw()).isEmpty();
		assertThat(spec.undeclaredFields(schema, answer.body())).as(answer.raw()).isEmpty();
		return answer.body();
	}

	private static JsonNode error(String path, Map<String, ?> request, String errorType, String errorCode) {
		RunningSimulator.Answer answer = sim.plaid(path, request);
		assertThat(answer.status()).as(answer.raw()).isEqualTo(400);
		assertThat(answer.body().path("error_type").asString()).isEqualTo(errorType);
		assertThat(answer.body().path("error_code").asString()).isEqualTo(errorCode);
		assertThat(spec.validate("PlaidError", answer.body())).isEmpty();
		return answer.body();
	}

	private static List<String> ids(JsonNode institutions) {
		List<String> ids = new ArrayList<>();
		institutions.forEach(institution -> ids.add(institution.path("institution_id").asString()));
		return ids;
	}

	@Test
	void institutionsGetPagesThroughEveryInstitutionOfTheCountries() {
		Set<String> seen = new HashSet<>();
		int total = -1;
		for (int offset = 0; offset < 40; offset += 3) {
			JsonNode page = ok("InstitutionsGetResponse", "/institutions/get",
					Map.of("count", 3, "offset", offset, "country_codes", List.of("US", "CA", "GB")));
			total = page.path("total").asInt();
			assertThat(page.path("institutions").size()).isLessThanOrEqualTo(3);
			assertThat(seen.addAll(ids(page.path("institutions")))).isEqualTo(page.path("institutions").size() > 0);
		}
		assertThat(seen).hasSize(total).containsAll(PLAID_SANDBOX_IDS);

		JsonNode canada = ok("InstitutionsGetResponse", "/institutions/get",
				Map.of("count", 500, "offset", 0, "country_codes", List.of("CA")));
		assertThat(ids(canada.path("institutions"))).containsExactlyInAnyOrder("ins_900004", "ins_43");
		assertThat(canada.path("total").asInt()).isEqualTo(2);
		canada.path("institutions").forEach(i -> assertThat(i.path("country_codes").toString()).isEqualTo("[\"CA\"]"));
	}

	@Test
	void institutionsGetFiltersByProductsOauthAndRoutingNumbers() {
		JsonNode investments = ok("InstitutionsGetResponse", "/institutions/get", Map.of("count", 500, "offset", 0,
				"country_codes", List.of("US", "GB"), "options", Map.of("products", List.of("investments"))));
		assertThat(ids(investments.path("institutions"))).contains("ins_109508", "ins_127287")
			.doesNotContain("ins_109512", "ins_116834");
		investments.path("institutions")
			.forEach(i -> assertThat(i.path("products").toString()).contains("\"investments\""));

		JsonNode oauth = ok("InstitutionsGetResponse", "/institutions/get",
				Map.of("count", 500, "offset", 0, "country_codes", List.of("US"), "options", Map.of("oauth", true)));
		assertThat(ids(oauth.path("institutions"))).containsExactlyInAnyOrder("ins_109513", "ins_127287", "ins_132241");

		JsonNode byRouting = ok("InstitutionsGetResponse", "/institutions/get",
				Map.of("count", 10, "offset", 0, "country_codes", List.of("US"), "options",
						Map.of("routing_numbers", List.of("011000138", "not-a-number"), "include_optional_metadata",
								true, "include_auth_metadata", true, "include_payment_initiation_metadata", true)));
		assertThat(ids(byRouting.path("institutions"))).containsExactly("ins_109512");
		JsonNode houndstooth = byRouting.path("institutions").get(0);
		assertThat(houndstooth.path("auth_metadata").path("supported_methods").path("instant_match").asBoolean())
			.isTrue();
		assertThat(houndstooth.has("primary_color")).isTrue();
		assertThat(houndstooth.has("payment_initiation_metadata")).isTrue();

		JsonNode plain = ok("InstitutionsGetResponse", "/institutions/get",
				Map.of("count", 1, "offset", 0, "country_codes", List.of("US")));
		assertThat(plain.path("institutions").get(0).has("primary_color")).isFalse();
		assertThat(plain.path("institutions").get(0).has("auth_metadata")).isFalse();
	}

	@Test
	void getByIdAnswersPlaidsSandboxInstitutionsAndRefusesUnknownIdsAsPlaidDoes() {
		for (String id : PLAID_SANDBOX_IDS) {
			ok("InstitutionsGetByIdResponse", "/institutions/get_by_id",
					Map.of("institution_id", id, "country_codes", List.of("US", "CA", "GB")));
		}
		JsonNode platypus = ok("InstitutionsGetByIdResponse", "/institutions/get_by_id",
				Map.of("institution_id", "ins_109508", "country_codes", List.of("US"), "options",
						Map.of("include_status", true, "include_optional_metadata", true)))
			.path("institution");
		assertThat(platypus.path("name").asString()).isEqualTo("First Platypus Bank");
		assertThat(platypus.path("oauth").asBoolean()).isFalse();
		assertThat(platypus.path("products").toString()).contains("\"investments\"");
		assertThat(platypus.has("status")).isTrue();

		JsonNode unknown = error("/institutions/get_by_id",
				Map.of("institution_id", "ins_999999999", "country_codes", List.of("US")), "INVALID_INPUT",
				"INVALID_INSTITUTION");
		assertThat(unknown.path("error_message").asString()).isEqualTo("invalid institution_id provided");
		error("/institutions/get_by_id", Map.of("institution_id", "ins_43", "country_codes", List.of("US")),
				"INVALID_INPUT", "INVALID_INSTITUTION");
		error("/institutions/get_by_id", Map.of("institution_id", "ins_109508"), "INVALID_REQUEST", "MISSING_FIELDS");
	}

	@Test
	void searchFindsInstitutionsByNameWithinCountriesAndProducts() {
		JsonNode platypus = ok("InstitutionsSearchResponse", "/institutions/search",
				Map.of("query", "platypus", "country_codes", List.of("US")));
		assertThat(ids(platypus.path("institutions"))).contains("ins_109508", "ins_130016", "ins_127287", "ins_132241")
			.doesNotContain("ins_116834", "ins_109511");

		JsonNode withProducts = ok("InstitutionsSearchResponse", "/institutions/search",
				Map.of("query", "First Platypus", "country_codes", List.of("US"), "products", List.of("investments"),
						"options", Map.of("oauth", false)));
		assertThat(ids(withProducts.path("institutions"))).containsExactlyInAnyOrder("ins_109508", "ins_130016");

		JsonNode uk = ok("InstitutionsSearchResponse", "/institutions/search",
				Map.of("query", "PLATYPUS OPEN", "country_codes", List.of("GB")));
		assertThat(ids(uk.path("institutions"))).containsExactlyInAnyOrder("ins_116834", "ins_117181");

		JsonNode none = ok("InstitutionsSearchResponse", "/institutions/search",
				Map.of("query", "no such bank", "country_codes", List.of("US")));
		assertThat(none.path("institutions").isEmpty()).isTrue();
	}

	@Test
	void badRequestsAreRefusedWithPlaidsErrors() {
		error("/institutions/get", Map.of("count", 10, "offset", 0), "INVALID_REQUEST", "MISSING_FIELDS");
		error("/institutions/get", Map.of("count", 0, "offset", 0, "country_codes", List.of("US")), "INVALID_REQUEST",
				"INVALID_FIELD");
		error("/institutions/get", Map.of("count", 501, "offset", 0, "country_codes", List.of("US")), "INVALID_REQUEST",
				"INVALID_FIELD");
		error("/institutions/get", Map.of("count", 10, "offset", -1, "country_codes", List.of("US")), "INVALID_REQUEST",
				"INVALID_FIELD");
		error("/institutions/get", Map.of("count", 10, "offset", 0, "country_codes", List.of()), "INVALID_REQUEST",
				"INVALID_FIELD");
		error("/institutions/get", Map.of("count", 10, "offset", 0, "country_codes", List.of("XX")), "INVALID_REQUEST",
				"INVALID_FIELD");
		error("/institutions/get", Map.of("count", 10, "offset", 0, "country_codes", List.of("US"), "options",
				Map.of("products", List.of("crystal_ball"))), "INVALID_REQUEST", "INVALID_FIELD");
		error("/institutions/get", Map.of("count", 10, "offset", 0, "country_codes", List.of("US"), "options",
				Map.of("routing_numbers", List.of("123456789"))), "INVALID_REQUEST", "INVALID_FIELD");
		error("/institutions/search", Map.of("query", "", "country_codes", List.of("US")), "INVALID_REQUEST",
				"INVALID_FIELD");
		error("/institutions/search", Map.of("country_codes", List.of("US")), "INVALID_REQUEST", "MISSING_FIELDS");
		RunningSimulator.Answer noKeys = sim.plaidWithoutKeys("/institutions/get",
				Map.of("count", 10, "offset", 0, "country_codes", List.of("US")));
		assertThat(noKeys.body().path("error_code").asString()).isEqualTo("INVALID_API_KEYS");
	}

	@Test
	void plaidsSandboxInstitutionsLinkAsInPlaidsDocs() {
		for (String id : List.of("ins_109508", "ins_109511", "ins_127287", "ins_43")) {
			JsonNode created = ok("SandboxPublicTokenCreateResponse", "/sandbox/public_token/create",
					Map.of("institution_id", id, "initial_products", List.of("investments")));
			String token = ok("ItemPublicTokenExchangeResponse", "/item/public_token/exchange",
					Map.of("public_token", created.path("public_token").asString()))
				.path("access_token")
				.asString();
			JsonNode holdings = ok("InvestmentsHoldingsGetResponse", "/investments/holdings/get",
					Map.of("access_token", token));
			assertThat(holdings.path("item").path("institution_id").asString()).isEqualTo(id);
			assertThat(holdings.path("holdings").isEmpty()).isFalse();
			String currency = id.equals("ins_43") ? "CAD" : "USD";
			holdings.path("holdings")
				.forEach(h -> assertThat(h.path("iso_currency_code").asString()).isEqualTo(currency));
		}
		JsonNode unknown = error("/sandbox/public_token/create",
				Map.of("institution_id", "ins_999999999", "initial_products", List.of("investments")), "INVALID_INPUT",
				"INVALID_INSTITUTION");
		assertThat(unknown.path("error_message").asString()).isEqualTo("invalid institution_id provided");
		error("/sandbox/public_token/create",
				Map.of("institution_id", "ins_109512", "initial_products", List.of("investments")), "ITEM_ERROR",
				"PRODUCTS_NOT_SUPPORTED");
		error("/sandbox/public_token/create",
				Map.of("institution_id", "ins_116834", "initial_products", List.of("transactions")), "ITEM_ERROR",
				"PRODUCTS_NOT_SUPPORTED");
	}

}
