package dev.plaidsync.simulator.internal;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import tools.jackson.databind.JsonNode;

@RestController
@ConditionalOnSimulator
@RequestMapping("/simulator/plaid")
class PlaidApiController {

	private final SimulatorEngine engine;

	PlaidApiController(SimulatorEngine engine) {
		this.engine = engine;
	}

	private record Call(JsonNode body, String clientId, String requestId) {

		String text(String field) {
			return Json.text(body, field);
		}

		JsonNode options() {
			return body.path("options");
		}

	}

	private Call call(byte[] raw, HttpHeaders headers) {
		JsonNode body = Json.read(raw);
		String clientId = firstNonBlank(headers.getFirst("PLAID-CLIENT-ID"), Json.text(body, "client_id"));
		String secret = firstNonBlank(headers.getFirst("PLAID-SECRET"), Json.text(body, "secret"));
		engine.checkCredentials(endpoint(), clientId, secret, Json.text(body, "access_token"));
		return new Call(body, clientId, SimulatorEngine.requestId());
	}

	/**
	 * The Plaid path of the current request, such as {@code /investments/holdings/get}.
	 */
	private static String endpoint() {
		String uri = ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest()
			.getRequestURI();
		int base = uri.indexOf("/simulator/plaid");
		return (base >= 0) ? uri.substring(base + "/simulator/plaid".length()) : uri;
	}

	private static String firstNonBlank(String a, String b) {
		if (a != null && !a.isBlank()) {
			return a;
		}
		return b != null && !b.isBlank() ? b : null;
	}

	private static ResponseEntity<byte[]> ok(Map<String, Object> body) {
		return Json.plaid(200, body);
	}

	@PostMapping("/investments/holdings/get")
	ResponseEntity<byte[]> holdingsGet(@RequestBody(required = false) byte[] raw, @RequestHeader HttpHeaders headers) {
		Call c = call(raw, headers);
		ItemState item = engine.begin(SimulatorEngine.HOLDINGS, c.clientId(), c.text("access_token"), true);
		return ok(engine.holdingsGet(item, accountIds(c.options()), c.requestId()));
	}

	@PostMapping("/investments/transactions/get")
	ResponseEntity<byte[]> transactionsGet(@RequestBody(required = false) byte[] raw,
			@RequestHeader HttpHeaders headers) {
		Call c = call(raw, headers);
		ItemState item = engine.begin(SimulatorEngine.TRANSACTIONS, c.clientId(), c.text("access_token"), true);
		LocalDate start = date(c.text("start_date"), "start_date");
		LocalDate end = date(c.text("end_date"), "end_date");
		if (end.isBefore(start)) {
			throw PlaidException.invalidField("end_date must not be before start_date");
		}
		JsonNode options = c.options();
		int count = options.path("count").asInt(100);
		int offset = options.path("offset").asInt(0);
		if (count < 1 || count > 500) {
			throw PlaidException.invalidField("count must be an integer between 1 and 500, inclusive");
		}
		if (offset < 0) {
			throw PlaidException.invalidField("offset must be a non-negative integer");
		}
		return ok(engine.transactionsGet(item, start, end, count, offset, accountIds(options),
				options.path("async_update").asBoolean(false), c.requestId()));
	}

	@PostMapping("/accounts/get")
	ResponseEntity<byte[]> accountsGet(@RequestBody(required = false) byte[] raw, @RequestHeader HttpHeaders headers) {
		Call c = call(raw, headers);
		ItemState item = engine.begin(SimulatorEngine.ACCOUNTS, c.clientId(), c.text("access_token"), true);
		return ok(engine.accountsGet(item, accountIds(c.options()), c.requestId()));
	}

	@PostMapping("/accounts/balance/get")
	ResponseEntity<byte[]> balanceGet(@RequestBody(required = false) byte[] raw, @RequestHeader HttpHeaders headers) {
		Call c = call(raw, headers);
		ItemState item = engine.begin(SimulatorEngine.BALANCE, c.clientId(), c.text("access_token"), true);
		return ok(engine.accountsGet(item, accountIds(c.options()), c.requestId()));
	}

	@PostMapping("/item/get")
	ResponseEntity<byte[]> itemGet(@RequestBody(required = false) byte[] raw, @RequestHeader HttpHeaders headers) {
		Call c = call(raw, headers);
		ItemState item = engine.begin(SimulatorEngine.ITEM_GET, c.clientId(), c.text("access_token"), true);
		return ok(engine.itemGet(item, c.requestId()));
	}

	@PostMapping("/investments/refresh")
	ResponseEntity<byte[]> refresh(@RequestBody(required = false) byte[] raw, @RequestHeader HttpHeaders headers) {
		Call c = call(raw, headers);
		ItemState item = engine.begin(SimulatorEngine.REFRESH, c.clientId(), c.text("access_token"), true);
		return ok(engine.refresh(item, c.requestId()));
	}

	@PostMapping("/link/token/create")
	ResponseEntity<byte[]> linkTokenCreate(@RequestBody(required = false) byte[] raw,
			@RequestHeader HttpHeaders headers) {
		Call c = call(raw, headers);
		engine.begin("/link/token/create", c.clientId(), null, false);
		JsonNode products = c.body().path("products");
		return ok(engine.linkTokenCreate(Json.text(c.body().path("user"), "client_user_id"), c.text("webhook"),
				c.text("access_token"), c.body().path("update").path("account_selection_enabled").asBoolean(false),
				products.isArray() && !products.isEmpty(), c.requestId()));
	}

	@PostMapping("/item/public_token/exchange")
	ResponseEntity<byte[]> exchange(@RequestBody(required = false) byte[] raw, @RequestHeader HttpHeaders headers) {
		Call c = call(raw, headers);
		engine.begin("/item/public_token/exchange", c.clientId(), null, false);
		return ok(engine.exchange(c.text("public_token"), c.requestId()));
	}

	@PostMapping("/item/remove")
	ResponseEntity<byte[]> remove(@RequestBody(required = false) byte[] raw, @RequestHeader HttpHeaders headers) {
		Call c = call(raw, headers);
		ItemState item = engine.begin(SimulatorEngine.ITEM_REMOVE, c.clientId(), c.text("access_token"), false);
		return ok(engine.remove(item, c.requestId()));
	}

	@PostMapping("/item/webhook/update")
	ResponseEntity<byte[]> webhookUpdate(@RequestBody(required = false) byte[] raw,
			@RequestHeader HttpHeaders headers) {
		Call c = call(raw, headers);
		ItemState item = engine.begin("/item/webhook/update", c.clientId(), c.text("access_token"), false);
		return ok(engine.webhookUpdate(item, c.text("webhook"), c.requestId()));
	}

	@PostMapping("/webhook_verification_key/get")
	ResponseEntity<byte[]> webhookVerificationKey(@RequestBody(required = false) byte[] raw,
			@RequestHeader HttpHeaders headers) {
		Call c = call(raw, headers);
		engine.begin("/webhook_verification_key/get", c.clientId(), null, false);
		return ok(engine.webhookVerificationKey(c.text("key_id"), c.requestId()));
	}

	@PostMapping("/sandbox/public_token/create")
	ResponseEntity<byte[]> sandboxPublicTokenCreate(@RequestBody(required = false) byte[] raw,
			@RequestHeader HttpHeaders headers) {
		Call c = call(raw, headers);
		engine.begin("/sandbox/public_token/create", c.clientId(), null, false);
		JsonNode products = c.body().path("initial_products");
		if (c.text("institution_id") != null && products.isArray() && !products.isEmpty()) {
			List<String> wanted = new ArrayList<>();
			products.forEach(product -> wanted.add(product.asString()));
			InstitutionCatalogue.linkable(c.text("institution_id"), wanted);
		}
		return ok(engine.sandboxPublicTokenCreate(c.text("institution_id"), products.isArray() && !products.isEmpty(),
				Json.text(c.options(), "webhook"), Json.text(c.options(), "override_username"), c.requestId()));
	}

	@PostMapping("/sandbox/item/fire_webhook")
	ResponseEntity<byte[]> sandboxFireWebhook(@RequestBody(required = false) byte[] raw,
			@RequestHeader HttpHeaders headers) {
		Call c = call(raw, headers);
		ItemState item = engine.begin("/sandbox/item/fire_webhook", c.clientId(), c.text("access_token"), false);
		return ok(engine.sandboxFireWebhook(item, c.text("webhook_type"), c.text("webhook_code"), c.requestId()));
	}

	@PostMapping("/sandbox/item/reset_login")
	ResponseEntity<byte[]> sandboxResetLogin(@RequestBody(required = false) byte[] raw,
			@RequestHeader HttpHeaders headers) {
		Call c = call(raw, headers);
		ItemState item = engine.begin("/sandbox/item/reset_login", c.clientId(), c.text("access_token"), false);
		return ok(engine.sandboxResetLogin(item, c.requestId()));
	}

	@ExceptionHandler(PlaidException.class)
	ResponseEntity<byte[]> plaidError(PlaidException ex) {
		return Json.plaid(ex.status, PlaidJson.error(ex, SimulatorEngine.requestId()));
	}

	private static LocalDate date(String value, String field) {
		if (value == null) {
			throw PlaidException.missingField(field);
		}
		try {
			return LocalDate.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw PlaidException.invalidField(field + " must be a date in YYYY-MM-DD format");
		}
	}

	private static List<String> accountIds(JsonNode options) {
		JsonNode ids = options.path("account_ids");
		if (!ids.isArray()) {
			return null;
		}
		List<String> result = new ArrayList<>();
		ids.forEach(id -> result.add(id.asString()));
		return result;
	}

}
