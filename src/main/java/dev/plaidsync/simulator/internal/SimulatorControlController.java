package dev.plaidsync.simulator.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.plaidsync.simulator.LinkedItem;
import dev.plaidsync.simulator.SimItem;
import dev.plaidsync.simulator.SimTransaction;
import tools.jackson.databind.JsonNode;

@RestController
@ConditionalOnSimulator
@RequestMapping("/simulator/control")
class SimulatorControlController {

	static final int MAX_BULK_ITEMS = 200_000;

	private final SimulatorEngine engine;

	SimulatorControlController(SimulatorEngine engine) {
		this.engine = engine;
	}

	private static ResponseEntity<byte[]> ok(Object body) {
		return Json.control(200, body);
	}

	private static ResponseEntity<byte[]> done() {
		return ok(Map.of("ok", true));
	}

	@GetMapping("/settings")
	ResponseEntity<byte[]> settings() {
		Map<String, Object> body = new LinkedHashMap<>(engine.faults().settings());
		body.put("today", engine.today());
		body.put("webhook_key_id", engine.currentWebhookKeyId());
		body.put("webhook_key_endpoint_failing", engine.keys().failing());
		return ok(body);
	}

	@GetMapping("/institutions")
	ResponseEntity<byte[]> institutions() {
		return ok(engine.institutions());
	}

	@PostMapping("/latency")
	ResponseEntity<byte[]> latency(@RequestBody(required = false) byte[] raw) {
		JsonNode body = Json.read(raw);
		engine.setLatency(Duration.ofMillis(body.path("latency_ms").asLong(0)),
				Duration.ofMillis(body.path("jitter_ms").asLong(0)));
		return settings();
	}

	@PostMapping("/error-rates")
	ResponseEntity<byte[]> errorRates(@RequestBody(required = false) byte[] raw) {
		JsonNode body = Json.read(raw);
		double r429 = body.path("rate_429").asDouble(0);
		double r500 = body.path("rate_500").asDouble(0);
		double down = body.path("rate_institution_down").asDouble(0);
		if (r429 < 0 || r500 < 0 || down < 0 || r429 + r500 + down > 1) {
			throw new IllegalArgumentException("error rates must be between 0 and 1 and add up to at most 1");
		}
		engine.setErrorRates(r429, r500, down);
		return settings();
	}

	@PostMapping("/rate-limits")
	ResponseEntity<byte[]> rateLimits(@RequestBody(required = false) byte[] raw) {
		JsonNode body = Json.read(raw);
		if (body.has("enabled")) {
			engine.setRateLimitsEnabled(body.path("enabled").asBoolean());
		}
		if (body.has("endpoint")) {
			int perMinute = body.path("per_minute").asInt(0);
			if (perMinute < 1) {
				throw new IllegalArgumentException("per_minute must be at least 1");
			}
			engine.setRateLimit(Json.text(body, "endpoint"), Json.text(body, "scope"), perMinute);
		}
		return settings();
	}

	@PostMapping("/webhook-retry-scale")
	ResponseEntity<byte[]> webhookRetryScale(@RequestBody(required = false) byte[] raw) {
		double scale = Json.read(raw).path("scale").asDouble(-1);
		if (scale < 0) {
			throw new IllegalArgumentException("scale must be a non-negative number");
		}
		engine.setWebhookRetryScale(scale);
		return done();
	}

	@PostMapping("/items")
	ResponseEntity<byte[]> createItem(@RequestBody(required = false) byte[] raw) {
		JsonNode body = Json.read(raw);
		LinkedItem item = engine.createItem(Json.text(body, "institution_id"), Json.text(body, "override_username"),
				Json.text(body, "webhook"));
		return ok(item);
	}

	/**
	 * Creates {@code count} items at once (at most {@value #MAX_BULK_ITEMS}), as
	 * {@code count} calls of {@code POST /items} would: item {@code n} (from 0) at
	 * {@code institution_ids[n % size]} (default: the first institution) with override
	 * username {@code username_prefix + "-" + n}. Answers {@code {"items": [[item_id,
	 * access_token, institution_id], ...]}} in that order: for load tests that link a
	 * fleet in seconds.
	 */
	@PostMapping("/items/bulk")
	ResponseEntity<byte[]> createItems(@RequestBody(required = false) byte[] raw) {
		JsonNode body = Json.read(raw);
		int count = body.path("count").asInt(0);
		if (count < 1 || count > MAX_BULK_ITEMS) {
			throw new IllegalArgumentException("count must be between 1 and " + MAX_BULK_ITEMS);
		}
		List<String> institutions = new ArrayList<>();
		body.path("institution_ids").forEach((id) -> institutions.add(id.asString()));
		if (institutions.isEmpty()) {
			institutions.add(engine.institutions().get(0).institutionId());
		}
		String prefix = body.path("username_prefix").asString("user");
		String webhook = Json.text(body, "webhook");
		List<List<String>> items = new ArrayList<>(count);
		for (int n = 0; n < count; n++) {
			String institution = institutions.get(n % institutions.size());
			LinkedItem item = engine.createItem(institution, prefix + "-" + n, webhook);
			items.add(List.of(item.itemId(), item.accessToken(), institution));
		}
		return ok(Map.of("items", items));
	}

	@GetMapping("/items/{itemRef}")
	ResponseEntity<byte[]> item(@PathVariable String itemRef) {
		SimItem item = engine.item(itemRef);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("item_id", item.itemId());
		body.put("access_token", item.accessToken());
		body.put("institution_id", item.institution().institutionId());
		body.put("webhook", item.webhookUrl());
		body.put("login_required", item.loginRequired());
		body.put("accounts", PlaidJson.accounts(item.accounts(), true));
		body.put("holdings", item.holdings().stream().map(PlaidJson::holding).toList());
		body.put("securities", item.securities().stream().map(PlaidJson::security).toList());
		return ok(body);
	}

	@GetMapping("/items/{itemRef}/transactions")
	ResponseEntity<byte[]> transactions(@PathVariable String itemRef,
			@RequestParam(name = "start_date", required = false) String start,
			@RequestParam(name = "end_date", required = false) String end) {
		LocalDate today = engine.today();
		List<SimTransaction> list = engine.transactions(itemRef,
				start == null ? today.minusDays(ItemState.HISTORY_DAYS - 1L) : LocalDate.parse(start),
				end == null ? today : LocalDate.parse(end));
		return ok(Map.of("investment_transactions", list.stream().map(PlaidJson::transaction).toList(),
				"total_investment_transactions", list.size()));
	}

	@PostMapping("/items/{itemRef}/login-required")
	ResponseEntity<byte[]> loginRequired(@PathVariable String itemRef) {
		engine.requireLogin(itemRef);
		return done();
	}

	/**
	 * Fault: {"enabled": true} makes every answer for the item carry text PostgreSQL
	 * cannot store (a NUL).
	 */
	@PostMapping("/items/{itemRef}/unstorable-text")
	ResponseEntity<byte[]> unstorableText(@PathVariable String itemRef, @RequestBody(required = false) byte[] raw) {
		engine.setUnstorableText(itemRef, Json.read(raw).path("enabled").asBoolean(true));
		return done();
	}

	@PostMapping("/items/{itemRef}/login-repaired")
	ResponseEntity<byte[]> loginRepaired(@PathVariable String itemRef) {
		engine.repairLogin(itemRef);
		return done();
	}

	@PostMapping("/items/{itemRef}/update-link-completed")
	ResponseEntity<byte[]> updateLinkCompleted(@PathVariable String itemRef) {
		engine.completeUpdateLink(itemRef);
		return done();
	}

	@PostMapping("/link/complete")
	ResponseEntity<byte[]> completeLink(@RequestBody(required = false) byte[] raw) {
		JsonNode body = Json.read(raw);
		String publicToken = engine.completeLink(Json.text(body, "link_token"), Json.text(body, "institution_id"),
				Json.text(body, "override_username"));
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("public_token", publicToken);
		answer.put("update_mode", publicToken == null);
		return ok(answer);
	}

	@PostMapping("/items/{itemRef}/webhooks/item")
	ResponseEntity<byte[]> itemWebhook(@PathVariable String itemRef, @RequestBody(required = false) byte[] raw) {
		JsonNode body = Json.read(raw);
		String code = Json.text(body, "webhook_code");
		String detail = "PENDING_DISCONNECT".equals(code) ? Json.text(body, "reason") : Json.text(body, "account_id");
		engine.fireItemWebhook(itemRef, code, detail);
		return done();
	}

	@PostMapping("/items/{itemRef}/webhooks/holdings")
	ResponseEntity<byte[]> holdingsWebhook(@PathVariable String itemRef) {
		engine.fireHoldingsUpdate(itemRef);
		return done();
	}

	@PostMapping("/items/{itemRef}/webhooks/transactions")
	ResponseEntity<byte[]> transactionsWebhook(@PathVariable String itemRef,
			@RequestBody(required = false) byte[] raw) {
		JsonNode body = Json.read(raw);
		engine.fireTransactionsUpdate(itemRef, body.path("new_investments_transactions").asInt(0),
				body.path("cancelled_investments_transactions").asInt(0));
		return done();
	}

	@PostMapping("/items/{itemRef}/transactions")
	ResponseEntity<byte[]> addTransaction(@PathVariable String itemRef, @RequestBody(required = false) byte[] raw) {
		JsonNode body = Json.read(raw);
		String date = Json.text(body, "date");
		String amount = Json.text(body, "amount");
		SimTransaction added = engine.addTransaction(itemRef, Json.text(body, "account_id"),
				date == null ? null : LocalDate.parse(date), amount == null ? null : new BigDecimal(amount));
		return ok(PlaidJson.transaction(added));
	}

	@PostMapping("/items/{itemRef}/transactions/remove")
	ResponseEntity<byte[]> removeTransaction(@PathVariable String itemRef, @RequestBody(required = false) byte[] raw) {
		engine.removeTransaction(itemRef, Json.text(Json.read(raw), "investment_transaction_id"));
		return done();
	}

	@PostMapping("/items/{itemRef}/positions/sell")
	ResponseEntity<byte[]> sell(@PathVariable String itemRef, @RequestBody(required = false) byte[] raw) {
		JsonNode body = Json.read(raw);
		engine.sellPosition(itemRef, Json.text(body, "account_id"), Json.text(body, "security_id"));
		return done();
	}

	@PostMapping("/items/{itemRef}/accounts/close")
	ResponseEntity<byte[]> closeAccount(@PathVariable String itemRef, @RequestBody(required = false) byte[] raw) {
		engine.closeAccount(itemRef, Json.text(Json.read(raw), "account_id"));
		return done();
	}

	@PostMapping("/securities/price")
	ResponseEntity<byte[]> price(@RequestBody(required = false) byte[] raw) {
		JsonNode body = Json.read(raw);
		String price = Json.text(body, "price");
		if (price == null) {
			throw new IllegalArgumentException("price is required");
		}
		engine.setPrice(Json.text(body, "security_id"), new BigDecimal(price));
		return done();
	}

	@PostMapping("/day/advance")
	ResponseEntity<byte[]> advanceDay(@RequestBody(required = false) byte[] raw) {
		return ok(Map.of("today", engine.advanceDays(Json.read(raw).path("days").asInt(1))));
	}

	@PostMapping("/webhook-key/rotate")
	ResponseEntity<byte[]> rotate() {
		return ok(Map.of("key_id", engine.rotateWebhookKey()));
	}

	@PostMapping("/webhook-key/failure")
	ResponseEntity<byte[]> keyFailure(@RequestBody(required = false) byte[] raw) {
		engine.failWebhookKeyEndpoint(Json.read(raw).path("enabled").asBoolean(true));
		return done();
	}

	@PostMapping("/credentials")
	ResponseEntity<byte[]> credentials(@RequestBody(required = false) byte[] raw) {
		JsonNode body = Json.read(raw);
		engine.setAcceptedCredentials(Json.text(body, "client_id"), Json.text(body, "secret"));
		return done();
	}

	@GetMapping("/calls")
	ResponseEntity<byte[]> callTimes(@org.springframework.web.bind.annotation.RequestParam String endpoint) {
		return ok(Map.of("endpoint", endpoint, "call_times_ms",
				engine.callTimes(endpoint).stream().map(Instant::toEpochMilli).toList()));
	}

	@GetMapping("/stats")
	ResponseEntity<byte[]> stats() {
		return ok(engine.stats());
	}

	@PostMapping("/stats/reset")
	ResponseEntity<byte[]> resetStats() {
		engine.resetStats();
		return done();
	}

	@GetMapping("/webhooks")
	ResponseEntity<byte[]> deliveries() {
		return ok(engine.deliveries());
	}

	// ---- bad-day faults

	@GetMapping("/faults/bad-day")
	ResponseEntity<byte[]> badDayFaults() {
		return ok(engine.faults().badDaySettings());
	}

	/**
	 * Body: {@code error_code} (INSTITUTION_DOWN, INSTITUTION_NOT_RESPONDING,
	 * INSTITUTION_RATE_LIMIT...), or null to end it.
	 */
	@PostMapping("/institutions/{institutionId}/outage")
	ResponseEntity<byte[]> institutionOutage(@PathVariable String institutionId,
			@RequestBody(required = false) byte[] raw) {
		engine.faults().setInstitutionOutage(institutionId, Json.text(Json.read(raw), "error_code"));
		return badDayFaults();
	}

	/**
	 * Body: {@code error_code} (ITEM_NOT_FOUND, INVALID_ACCESS_TOKEN,
	 * INSTITUTION_NO_LONGER_SUPPORTED), or null to heal.
	 */
	@PostMapping("/items/{itemRef}/permanent-error")
	ResponseEntity<byte[]> permanentItemError(@PathVariable String itemRef, @RequestBody(required = false) byte[] raw) {
		engine.faults().setPermanentItemError(engine.item(itemRef).itemId(), Json.text(Json.read(raw), "error_code"));
		return badDayFaults();
	}

	/**
	 * Body: {@code times}: the next n windows come back empty; -1 until ended, 0 ends it.
	 */
	@PostMapping("/items/{itemRef}/empty-transaction-windows")
	ResponseEntity<byte[]> emptyTransactionWindows(@PathVariable String itemRef,
			@RequestBody(required = false) byte[] raw) {
		engine.faults()
			.setEmptyTransactionWindows(engine.item(itemRef).itemId(), Json.read(raw).path("times").asInt(1));
		return badDayFaults();
	}

	/**
	 * Body: {@code times}: a new transaction arrives before each of the next n pages at a
	 * non-zero offset.
	 */
	@PostMapping("/items/{itemRef}/total-changes-between-pages")
	ResponseEntity<byte[]> totalChangesBetweenPages(@PathVariable String itemRef,
			@RequestBody(required = false) byte[] raw) {
		engine.faults()
			.setTotalChangesBetweenPages(engine.item(itemRef).itemId(), Json.read(raw).path("times").asInt(1));
		return badDayFaults();
	}

	@PostMapping("/faults/bad-day/clear")
	ResponseEntity<byte[]> clearBadDayFaults() {
		engine.faults().clearBadDayFaults();
		return badDayFaults();
	}

	@ExceptionHandler(PlaidException.class)
	ResponseEntity<byte[]> plaidError(PlaidException ex) {
		return Json.plaid(ex.status, PlaidJson.error(ex, SimulatorEngine.requestId()));
	}

	@ExceptionHandler({ IllegalArgumentException.class, java.time.DateTimeException.class,
			java.util.NoSuchElementException.class })
	ResponseEntity<byte[]> badRequest(RuntimeException ex) {
		return Json.control(400, Map.of("error", String.valueOf(ex.getMessage())));
	}

}
