package dev.plaidsync.simulator;

import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.plaidsync.testsupport.SimulatorControl;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SimulatorContractTests {

	private static final Map<String, String> WEBHOOK_SCHEMAS = Map.ofEntries(
			Map.entry("HOLDINGS/DEFAULT_UPDATE", "HoldingsDefaultUpdateWebhook"),
			Map.entry("INVESTMENTS_TRANSACTIONS/DEFAULT_UPDATE", "InvestmentsDefaultUpdateWebhook"),
			Map.entry("INVESTMENTS_TRANSACTIONS/HISTORICAL_UPDATE", "InvestmentsHistoricalUpdateWebhook"),
			Map.entry("ITEM/ERROR", "ItemErrorWebhook"),
			Map.entry("ITEM/PENDING_EXPIRATION", "PendingExpirationWebhook"),
			Map.entry("ITEM/PENDING_DISCONNECT", "PendingDisconnectWebhook"),
			Map.entry("ITEM/USER_PERMISSION_REVOKED", "UserPermissionRevokedWebhook"),
			Map.entry("ITEM/USER_ACCOUNT_REVOKED", "UserAccountRevokedWebhook"),
			Map.entry("ITEM/LOGIN_REPAIRED", "ItemLoginRepairedWebhook"),
			Map.entry("ITEM/NEW_ACCOUNTS_AVAILABLE", "NewAccountsAvailableWebhook"),
			Map.entry("ITEM/WEBHOOK_UPDATE_ACKNOWLEDGED", "WebhookUpdateAcknowledgedWebhook"));

	private static RunningSimulator sim;

	private static PlaidSpec spec;

	private static SimulatorControl control;

	@BeforeAll
	static void start() {
		sim = RunningSimulator.shared();
		spec = PlaidSpec.get();
		control = sim.control();
	}

	private static void assertMatches(String schema, JsonNode body) {
		String excerpt = body.toString().substring(0, Math.min(400, body.toString().length()));
		assertThat(spec.validate(schema, body)).as("%s: %s", schema, excerpt).isEmpty();
		assertThat(spec.undeclaredFields(schema, body)).as("%s: %s", schema, excerpt).isEmpty();
	}

	private static JsonNode ok(String schema, String path, Map<String, ?> request) {
		RunningSimulator.Answer answer = sim.plaid(path, request);
		assertThat(answer.status())
			.as("%s answered %s", path, answer.raw().substring(0, Math.min(600, answer.raw().length())))
			.isEqualTo(200);
		assertMatches(schema, answer.body());
		return answer.body();
	}

	private static JsonNode error(String path, Map<String, ?> request, int status, String errorType, String errorCode) {
		RunningSimulator.Answer answer = sim.plaid(path, request);
		assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
		assertThat(answer.body().path("error_type").asString()).isEqualTo(errorType);
		assertThat(answer.body().path("error_code").asString()).isEqualTo(errorCode);
		assertMatches("PlaidError", answer.body());
		return answer.body();
	}

	private static String linkItem(String institutionId, String username) {
		JsonNode created = ok("SandboxPublicTokenCreateResponse", "/sandbox/public_token/create",
				Map.of("institution_id", institutionId, "initial_products", List.of("investments"), "options",
						Map.of("override_username", username)));
		JsonNode exchanged = ok("ItemPublicTokenExchangeResponse", "/item/public_token/exchange",
				Map.of("public_token", created.path("public_token").asString()));
		return exchanged.path("access_token").asString();
	}

	@Test
	void everySuccessfulResponseMatchesTheSpec() {
		Set<String> securityTypes = new HashSet<>();
		int items = 0;
		for (String institutionId : List.of("ins_900001", "ins_900002", "ins_900003", "ins_900004")) {
			for (int i = 0; i < 3; i++) {
				String token = linkItem(institutionId, "user_contract_" + items++);
				JsonNode holdings = ok("InvestmentsHoldingsGetResponse", "/investments/holdings/get",
						Map.of("access_token", token));
				holdings.path("securities").forEach(s -> securityTypes.add(s.path("type").asString()));
				String accountId = holdings.path("accounts").get(0).path("account_id").asString();
				JsonNode filtered = ok("InvestmentsHoldingsGetResponse", "/investments/holdings/get",
						Map.of("access_token", token, "options", Map.of("account_ids", List.of(accountId))));
				assertThat(filtered.path("accounts")).hasSize(1);
				ok("InvestmentsTransactionsGetResponse", "/investments/transactions/get",
						Map.of("access_token", token, "start_date", LocalDate.now().minusYears(2).toString(),
								"end_date", LocalDate.now().toString(), "options", Map.of("count", 500)));
				ok("AccountsGetResponse", "/accounts/get", Map.of("access_token", token));
				ok("AccountsGetResponse", "/accounts/balance/get", Map.of("access_token", token));
				ok("ItemGetResponse", "/item/get", Map.of("access_token", token));
			}
		}
		assertThat(securityTypes).contains("cash", "equity", "etf", "mutual fund", "derivative", "fixed income");

		String token = linkItem("ins_900001", "user_contract_more");
		ok("InvestmentsRefreshResponse", "/investments/refresh", Map.of("access_token", token));
		ok("LinkTokenCreateResponse", "/link/token/create",
				Map.of("client_name", "Plaid Sync", "language", "en", "country_codes", List.of("US", "CA"), "user",
						Map.of("client_user_id", "user-1"), "products", List.of("investments"), "webhook",
						"http://localhost:1/hook"));
		ok("LinkTokenCreateResponse", "/link/token/create",
				Map.of("client_name", "Plaid Sync", "language", "en", "country_codes", List.of("US"), "user",
						Map.of("client_user_id", "user-1"), "access_token", token, "update",
						Map.of("account_selection_enabled", true)));
		ok("ItemWebhookUpdateResponse", "/item/webhook/update",
				Map.of("access_token", token, "webhook", "http://localhost:1/new-hook"));
		ok("WebhookVerificationKeyGetResponse", "/webhook_verification_key/get",
				Map.of("key_id", sim.simulator().currentWebhookKeyId()));
		ok("SandboxItemFireWebhookResponse", "/sandbox/item/fire_webhook",
				Map.of("access_token", token, "webhook_type", "HOLDINGS", "webhook_code", "DEFAULT_UPDATE"));
		ok("SandboxItemResetLoginResponse", "/sandbox/item/reset_login", Map.of("access_token", token));
		JsonNode brokenItem = ok("ItemGetResponse", "/item/get", Map.of("access_token", token));
		assertThat(brokenItem.path("item").path("error").path("error_code").asString())
			.isEqualTo("ITEM_LOGIN_REQUIRED");
		ok("ItemRemoveResponse", "/item/remove", Map.of("access_token", token));
	}

	@Test
	void everyErrorBodyMatchesPlaidError() {
		sim.plaidWithoutKeys("/accounts/get", Map.of());
		RunningSimulator.Answer noKeys = sim.plaidWithoutKeys("/investments/holdings/get",
				Map.of("access_token", "access-sandbox-x"));
		assertThat(noKeys.status()).isEqualTo(400);
		assertThat(noKeys.body().path("error_code").asString()).isEqualTo("INVALID_API_KEYS");
		assertMatches("PlaidError", noKeys.body());

		String token = linkItem("ins_900002", "user_errors");
		error("/investments/holdings/get", Map.of("access_token", "access-sandbox-not-a-token"), 400, "INVALID_INPUT",
				"INVALID_ACCESS_TOKEN");
		error("/item/public_token/exchange", Map.of("public_token", "public-sandbox-unknown"), 400, "INVALID_INPUT",
				"INVALID_PUBLIC_TOKEN");
		error("/investments/transactions/get", Map.of("access_token", token, "start_date", "2024-01-01", "end_date",
				"2024-12-31", "options", Map.of("async_update", true)), 400, "ITEM_ERROR", "PRODUCT_NOT_READY");
		error("/webhook_verification_key/get", Map.of("key_id", "no-such-kid"), 400, "INVALID_INPUT",
				"INVALID_WEBHOOK_VERIFICATION_KEY_ID");
		error("/investments/refresh", Map.of("access_token", linkItem("ins_900003", "user_errors")), 400, "ITEM_ERROR",
				"PRODUCT_NOT_SUPPORTED");
		try {
			control.setErrorRates(1, 0, 0);
			error("/investments/holdings/get", Map.of("access_token", token), 429, "RATE_LIMIT_EXCEEDED",
					"INVESTMENT_HOLDINGS_GET_LIMIT");
			control.setErrorRates(0, 1, 0);
			error("/accounts/get", Map.of("access_token", token), 500, "API_ERROR", "INTERNAL_SERVER_ERROR");
			control.setErrorRates(0, 0, 1);
			error("/investments/transactions/get",
					Map.of("access_token", token, "start_date", "2024-01-01", "end_date", "2024-12-31"), 400,
					"INSTITUTION_ERROR", "INSTITUTION_DOWN");
		}
		finally {
			control.setErrorRates(0, 0, 0);
		}
		control.requireLogin(token);
		error("/investments/holdings/get", Map.of("access_token", token), 400, "ITEM_ERROR", "ITEM_LOGIN_REQUIRED");
		error("/accounts/get", Map.of("access_token", token), 400, "ITEM_ERROR", "ITEM_LOGIN_REQUIRED");
		control.completeUpdateLink(token);
		ok("InvestmentsHoldingsGetResponse", "/investments/holdings/get", Map.of("access_token", token));
		ok("ItemRemoveResponse", "/item/remove", Map.of("access_token", token));
		error("/investments/holdings/get", Map.of("access_token", token), 400, "ITEM_ERROR", "ITEM_NOT_FOUND");
	}

	@Test
	void badDayFaultsAnswerAsPlaidWould() {
		String token = linkItem("ins_900004", "user_bad_day");
		String itemId = ok("ItemGetResponse", "/item/get", Map.of("access_token", token)).path("item")
			.path("item_id")
			.asString();
		Map<String, Object> window = Map.of("access_token", token, "start_date",
				LocalDate.now().minusYears(2).toString(), "end_date", LocalDate.now().toString(), "options",
				Map.of("count", 100));
		try {
			for (String code : List.of("INSTITUTION_DOWN", "INSTITUTION_NOT_RESPONDING", "INSTITUTION_NOT_AVAILABLE")) {
				control.setInstitutionOutage("ins_900004", code);
				error("/investments/holdings/get", Map.of("access_token", token), 400, "INSTITUTION_ERROR", code);
			}
			control.setInstitutionOutage("ins_900004", "INSTITUTION_RATE_LIMIT");
			error("/accounts/get", Map.of("access_token", token), 429, "RATE_LIMIT_EXCEEDED", "INSTITUTION_RATE_LIMIT");
			control.setInstitutionOutage("ins_900004", null);

			control.setPermanentItemError(itemId, "ITEM_NOT_FOUND");
			error("/investments/holdings/get", Map.of("access_token", token), 400, "ITEM_ERROR", "ITEM_NOT_FOUND");
			control.setPermanentItemError(itemId, "INVALID_ACCESS_TOKEN");
			error("/item/get", Map.of("access_token", token), 400, "INVALID_INPUT", "INVALID_ACCESS_TOKEN");
			control.setPermanentItemError(itemId, "INSTITUTION_NO_LONGER_SUPPORTED");
			error("/accounts/get", Map.of("access_token", token), 400, "INSTITUTION_ERROR",
					"INSTITUTION_NO_LONGER_SUPPORTED");
			control.setPermanentItemError(itemId, null);

			control.setEmptyTransactionWindows(itemId, 1);
			JsonNode empty = ok("InvestmentsTransactionsGetResponse", "/investments/transactions/get", window);
			assertThat(empty.path("investment_transactions")).isEmpty();
			assertThat(empty.path("total_investment_transactions").asInt()).isZero();
			JsonNode full = ok("InvestmentsTransactionsGetResponse", "/investments/transactions/get", window);
			assertThat(full.path("total_investment_transactions").asInt()).as("one window only").isPositive();

			control.setTotalChangesBetweenPages(itemId, 1);
			int total = full.path("total_investment_transactions").asInt();
			Map<String, Object> secondPage = Map.of("access_token", token, "start_date", window.get("start_date"),
					"end_date", window.get("end_date"), "options", Map.of("count", 100, "offset", 1));
			JsonNode moved = ok("InvestmentsTransactionsGetResponse", "/investments/transactions/get", secondPage);
			assertThat(moved.path("total_investment_transactions").asInt()).isEqualTo(total + 1);

			assertThatThrownBy(() -> control.setInstitutionOutage("ins_900004", "ITEM_LOGIN_REQUIRED"))
				.hasMessageContaining("answered 400")
				.hasMessageContaining("error_code must be one of");
			assertThatThrownBy(() -> control.setInstitutionOutage("ins_nope", "INSTITUTION_DOWN"))
				.hasMessageContaining("answered 400")
				.hasMessageContaining("unknown institution_id");
		}
		finally {
			control.clearBadDayFaults();
		}
		ok("InvestmentsHoldingsGetResponse", "/investments/holdings/get", Map.of("access_token", token));
	}

	@Test
	void everyWebhookBodyMatchesTheSpec() {
		PlaidSimulator simulator = sim.simulator();
		LinkedItem item = simulator.createItem("ins_900001", "user_webhook_contract", null);
		sim.plaid("/investments/transactions/get", Map.of("access_token", item.accessToken(), "start_date",
				"2024-01-01", "end_date", "2024-12-31", "options", Map.of("async_update", true)));
		simulator.fireHoldingsUpdate(item.itemId());
		simulator.fireTransactionsUpdate(item.itemId(), 2, 1);
		for (String code : List.of("ERROR", "PENDING_EXPIRATION", "PENDING_DISCONNECT", "USER_PERMISSION_REVOKED",
				"LOGIN_REPAIRED", "NEW_ACCOUNTS_AVAILABLE", "WEBHOOK_UPDATE_ACKNOWLEDGED", "USER_ACCOUNT_REVOKED")) {
			simulator.fireItemWebhook(item.itemId(), code, null);
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> simulator.deliveries()
				.stream()
				.filter(d -> d.itemId().equals(item.itemId()))
				.map(d -> d.webhookType() + "/" + d.webhookCode())
				.distinct()
				.count() == WEBHOOK_SCHEMAS.size());
		for (WebhookDelivery delivery : simulator.deliveries()) {
			if (!delivery.itemId().equals(item.itemId())) {
				continue;
			}
			String schema = WEBHOOK_SCHEMAS.get(delivery.webhookType() + "/" + delivery.webhookCode());
			JsonNode body = JsonMapper.shared().readTree(delivery.body());
			assertThat(body.path("environment").asString()).isEqualTo("sandbox");
			assertMatches(schema, body);
		}
	}

	@Test
	void theChecksCatchBrokenBodies() {
		String token = linkItem("ins_900001", "user_broken");
		JsonNode holdings = sim.plaid("/investments/holdings/get", Map.of("access_token", token)).body();
		assertMatches("InvestmentsHoldingsGetResponse", holdings);

		ObjectNode missingRequired = (ObjectNode) holdings.deepCopy();
		((ObjectNode) missingRequired.path("holdings").get(0)).remove("quantity");
		assertThat(spec.validate("InvestmentsHoldingsGetResponse", missingRequired)).isNotEmpty();

		ObjectNode wrongType = (ObjectNode) holdings.deepCopy();
		((ObjectNode) wrongType.path("holdings").get(0)).put("institution_value", "12.50");
		assertThat(spec.validate("InvestmentsHoldingsGetResponse", wrongType)).isNotEmpty();

		ObjectNode nullNotAllowed = (ObjectNode) holdings.deepCopy();
		((ObjectNode) nullNotAllowed.path("holdings").get(0)).putNull("quantity");
		assertThat(spec.validate("InvestmentsHoldingsGetResponse", nullNotAllowed)).isNotEmpty();

		ObjectNode nullAllowed = (ObjectNode) holdings.deepCopy();
		((ObjectNode) nullAllowed.path("holdings").get(0)).putNull("cost_basis");
		((ObjectNode) nullAllowed.path("item")).putNull("error");
		assertThat(spec.validate("InvestmentsHoldingsGetResponse", nullAllowed)).isEmpty();

		ObjectNode misspelled = (ObjectNode) holdings.deepCopy();
		((ObjectNode) misspelled.path("holdings").get(0)).put("institutoin_value", 1.0);
		assertThat(spec.validate("InvestmentsHoldingsGetResponse", misspelled)).isEmpty();
		assertThat(spec.undeclaredFields("InvestmentsHoldingsGetResponse", misspelled))
			.containsExactly("$.holdings[0].institutoin_value is not declared in the schema");

		ObjectNode nestedMisspelled = (ObjectNode) holdings.deepCopy();
		((ObjectNode) nestedMisspelled.path("accounts").get(0).path("balances")).put("curent", 1.0);
		assertThat(spec.undeclaredFields("InvestmentsHoldingsGetResponse", nestedMisspelled))
			.containsExactly("$.accounts[0].balances.curent is not declared in the schema");

		Map<String, Object> webhook = new LinkedHashMap<>();
		webhook.put("webhook_type", "HOLDINGS");
		webhook.put("webhook_code", "DEFAULT_UPDATE");
		webhook.put("item_id", "x");
		webhook.put("environment", "sandbox");
		webhook.put("new_holdings", 1);
		JsonNode incomplete = JsonMapper.shared().valueToTree(webhook);
		assertThat(spec.validate("HoldingsDefaultUpdateWebhook", incomplete)).isNotEmpty();
		webhook.put("environment", "staging");
		webhook.put("updated_holdings", 1);
		assertThat(spec.validate("HoldingsDefaultUpdateWebhook", JsonMapper.shared().valueToTree(webhook)))
			.isNotEmpty();
	}

}
