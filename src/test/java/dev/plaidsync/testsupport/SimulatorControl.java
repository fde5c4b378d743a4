package dev.plaidsync.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Client of the simulator's control API ({@code /simulator/control}), for tests that
 * drive a simulator over HTTP, in this JVM or another. Construct it with the server's
 * root URL, such as {@code http://localhost:8090}. Every method throws
 * {@link IllegalStateException} on a non-2xx answer, with the answer's body in the
 * message.
 */
public final class SimulatorControl {

	private static final JsonMapper JSON = JsonMapper.shared();

	private final String base;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	public SimulatorControl(String baseUrl) {
		this.base = (baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl)
				+ "/simulator/control";
	}

	/** The Plaid base URL to give plaid-java's {@code setPlaidAdapter}. */
	public String plaidBaseUrl() {
		return base.replace("/simulator/control", "/simulator/plaid/");
	}

	public record Item(String itemId, String accessToken, String publicToken) {
	}

	public Item createItem(String institutionId, String overrideUsername, String webhook) {
		JsonNode answer = post("/items",
				fields("institution_id", institutionId, "override_username", overrideUsername, "webhook", webhook));
		return new Item(answer.path("item_id").asString(), answer.path("access_token").asString(),
				answer.path("public_token").asString());
	}

	/**
	 * Creates {@code count} items in one call ({@code POST /items/bulk}), item {@code n}
	 * at {@code institutionIds[n % size]} with override username
	 * {@code usernamePrefix + "-" + n}, in that order.
	 */
	public List<Item> createItems(int count, List<String> institutionIds, String usernamePrefix, String webhook) {
		JsonNode answer = post("/items/bulk", fields("count", count, "institution_ids", institutionIds,
				"username_prefix", usernamePrefix, "webhook", webhook));
		List<Item> items = new ArrayList<>(count);
		answer.path("items").forEach((row) -> items.add(new Item(row.get(0).asString(), row.get(1).asString(), null)));
		return items;
	}

	/**
	 * Accounts, holdings and securities as /investments/holdings/get would answer now
	 * (Plaid JSON).
	 */
	public JsonNode item(String itemRef) {
		return get("/items/" + itemRef);
	}

	public JsonNode transactions(String itemRef, LocalDate start, LocalDate end) {
		return get("/items/" + itemRef + "/transactions?start_date=" + start + "&end_date=" + end);
	}

	public void requireLogin(String itemRef) {
		post("/items/" + itemRef + "/login-required", Map.of());
	}

	/**
	 * Fault: the item's answers carry a NUL character, which PostgreSQL text cannot
	 * store.
	 */
	public void setUnstorableText(String itemRef, boolean enabled) {
		post("/items/" + itemRef + "/unstorable-text", Map.of("enabled", enabled));
	}

	public void repairLogin(String itemRef) {
		post("/items/" + itemRef + "/login-repaired", Map.of());
	}

	public void completeUpdateLink(String itemRef) {
		post("/items/" + itemRef + "/update-link-completed", Map.of());
	}

	/**
	 * Completes Link; returns the public token, or null for an update-mode link token.
	 */
	public String completeLink(String linkToken, String institutionId, String overrideUsername) {
		JsonNode answer = post("/link/complete", fields("link_token", linkToken, "institution_id", institutionId,
				"override_username", overrideUsername));
		return answer.path("public_token").isNull() ? null : answer.path("public_token").asString();
	}

	/**
	 * ITEM webhooks: PENDING_DISCONNECT (detail = reason), USER_ACCOUNT_REVOKED (detail =
	 * account id), ...
	 */
	public void fireItemWebhook(String itemRef, String webhookCode, String detail) {
		post("/items/" + itemRef + "/webhooks/item", fields("webhook_code", webhookCode,
				"PENDING_DISCONNECT".equals(webhookCode) ? "reason" : "account_id", detail));
	}

	public void fireHoldingsUpdate(String itemRef) {
		post("/items/" + itemRef + "/webhooks/holdings", Map.of());
	}

	public void fireTransactionsUpdate(String itemRef, int added, int cancelled) {
		post("/items/" + itemRef + "/webhooks/transactions",
				Map.of("new_investments_transactions", added, "cancelled_investments_transactions", cancelled));
	}

	public JsonNode addTransaction(String itemRef, String accountId, LocalDate date, BigDecimal amount) {
		return post("/items/" + itemRef + "/transactions", fields("account_id", accountId, "date",
				date == null ? null : date.toString(), "amount", amount == null ? null : amount.toPlainString()));
	}

	public void removeTransaction(String itemRef, String investmentTransactionId) {
		post("/items/" + itemRef + "/transactions/remove",
				Map.of("investment_transaction_id", investmentTransactionId));
	}

	public void sellPosition(String itemRef, String accountId, String securityId) {
		post("/items/" + itemRef + "/positions/sell", Map.of("account_id", accountId, "security_id", securityId));
	}

	public void closeAccount(String itemRef, String accountId) {
		post("/items/" + itemRef + "/accounts/close", Map.of("account_id", accountId));
	}

	public void setPrice(String securityId, BigDecimal price) {
		post("/securities/price", Map.of("security_id", securityId, "price", price.toPlainString()));
	}

	public LocalDate advanceDays(int days) {
		return LocalDate.parse(post("/day/advance", Map.of("days", days)).path("today").asString());
	}

	public String rotateWebhookKey() {
		return post("/webhook-key/rotate", Map.of()).path("key_id").asString();
	}

	public void failWebhookKeyEndpoint(boolean enabled) {
		post("/webhook-key/failure", Map.of("enabled", enabled));
	}

	public void setLatency(Duration latency, Duration jitter) {
		post("/latency", Map.of("latency_ms", latency.toMillis(), "jitter_ms", jitter.toMillis()));
	}

	public void setErrorRates(double rate429, double rate500, double rateInstitutionDown) {
		post("/error-rates",
				Map.of("rate_429", rate429, "rate_500", rate500, "rate_institution_down", rateInstitutionDown));
	}

	public void setRateLimitsEnabled(boolean enabled) {
		post("/rate-limits", Map.of("enabled", enabled));
	}

	/**
	 * scope is "item" or "client"; endpoint is a Plaid path such as
	 * /investments/holdings/get.
	 */
	public void setRateLimit(String endpoint, String scope, int perMinute) {
		post("/rate-limits", Map.of("endpoint", endpoint, "scope", scope, "per_minute", perMinute));
	}

	public void setWebhookRetryScale(double scale) {
		post("/webhook-retry-scale", Map.of("scale", scale));
	}

	public JsonNode settings() {
		return get("/settings");
	}

	/**
	 * calls_per_endpoint, calls_per_endpoint_per_item, calls_per_endpoint_per_minute,
	 * rate_limit_rejections, injected_errors, webhook_deliveries.
	 */
	public JsonNode stats() {
		return get("/stats");
	}

	public void resetStats() {
		post("/stats/reset", Map.of());
	}

	/**
	 * Every webhook delivery attempt: url, webhook_type, webhook_code, item_id, attempt,
	 * status_code, key_id, body.
	 */
	public JsonNode webhookDeliveries() {
		return get("/webhooks");
	}

	/**
	 * Only these keys are accepted from now on; nulls accept any non-empty keys again.
	 */
	public void setAcceptedCredentials(String clientId, String secret) {
		post("/credentials", fields("client_id", clientId, "secret", secret));
	}

	/** When the most recent calls to an endpoint arrived, oldest first. */
	public List<java.time.Instant> callTimes(String endpoint) {
		List<java.time.Instant> times = new ArrayList<>();
		get("/calls?endpoint=" + java.net.URLEncoder.encode(endpoint, java.nio.charset.StandardCharsets.UTF_8))
			.path("call_times_ms")
			.forEach((millis) -> times.add(java.time.Instant.ofEpochMilli(millis.asLong())));
		return times;
	}

	public long calls(String endpoint) {
		return stats().path("calls_per_endpoint").path(endpoint).asLong(0);
	}

	// ---- bad-day faults

	/**
	 * Every data call for the institution's items fails with errorCode (INSTITUTION_DOWN,
	 * ...); null ends the outage.
	 */
	public void setInstitutionOutage(String institutionId, String errorCode) {
		post("/institutions/" + institutionId + "/outage", fields("error_code", errorCode));
	}

	/**
	 * Every call with the item's token fails with a permanent code (ITEM_NOT_FOUND, ...);
	 * null heals it.
	 */
	public void setPermanentItemError(String itemRef, String errorCode) {
		post("/items/" + itemRef + "/permanent-error", fields("error_code", errorCode));
	}

	/**
	 * The item's next {@code times} transaction windows come back empty; -1 until ended,
	 * 0 ends it.
	 */
	public void setEmptyTransactionWindows(String itemRef, int times) {
		post("/items/" + itemRef + "/empty-transaction-windows", Map.of("times", times));
	}

	/**
	 * A new transaction arrives before each of the item's next {@code times} pages at a
	 * non-zero offset.
	 */
	public void setTotalChangesBetweenPages(String itemRef, int times) {
		post("/items/" + itemRef + "/total-changes-between-pages", Map.of("times", times));
	}

	public void clearBadDayFaults() {
		post("/faults/bad-day/clear", Map.of());
	}

	public JsonNode badDayFaults() {
		return get("/faults/bad-day");
	}

	/**
	 * Calls the simulator answered for one item on one endpoint since start or the last
	 * reset.
	 */
	public long calls(String endpoint, String itemId) {
		return stats().path("calls_per_endpoint_per_item").path(endpoint).path(itemId).asLong(0);
	}

	private static Map<String, Object> fields(Object... keyValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			if (keyValues[i + 1] != null) {
				map.put((String) keyValues[i], keyValues[i + 1]);
			}
		}
		return map;
	}

	private JsonNode get(String path) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
	}

	private JsonNode post(String path, Map<String, ?> body) {
		return send(HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
	}

	private JsonNode send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() / 100 != 2) {
				throw new IllegalStateException(
						"simulator control answered " + response.statusCode() + ": " + response.body());
			}
			return JSON.readTree(response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
