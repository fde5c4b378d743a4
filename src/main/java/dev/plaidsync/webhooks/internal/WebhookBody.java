package dev.plaidsync.webhooks.internal;

import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fields of a verified webhook body that intake and dispatch need, parsed with
 * Jackson from the raw bytes (never re-serialised: the signature covers the bytes). Both
 * spellings of the cancelled-transactions count are read. {@code invalid} says how the
 * body departs from Plaid's shape ({@link WebhookShape}), or is null; an invalid body's
 * type, code and item id are what it holds, cut to {@value WebhookShape#MAX_ID}
 * characters, for operators to read.
 */
record WebhookBody(String type, String code, String itemId, String environment, JsonNode json, String invalid) {

	private static final Map<String, Set<String>> KNOWN = Map.of("HOLDINGS", Set.of("DEFAULT_UPDATE"),
			"INVESTMENTS_TRANSACTIONS", Set.of("DEFAULT_UPDATE", "HISTORICAL_UPDATE"), "ITEM",
			Set.of("ERROR", "PENDING_EXPIRATION", "PENDING_DISCONNECT", "USER_PERMISSION_REVOKED",
					"USER_ACCOUNT_REVOKED", "LOGIN_REPAIRED", "NEW_ACCOUNTS_AVAILABLE", "WEBHOOK_UPDATE_ACKNOWLEDGED"));

	/**
	 * @throws Rejection 400 when the body is not a JSON object
	 */
	static WebhookBody parse(byte[] body, JsonMapper json) {
		JsonNode root;
		try {
			root = json.readTree(body);
		}
		catch (JacksonException ex) {
			throw Rejection.badRequest("malformed_json", "The body is not valid JSON");
		}
		if (root == null || !root.isObject()) {
			throw Rejection.badRequest("malformed_json", "The body is not a JSON object");
		}
		String invalid = WebhookShape.violation(root);
		return new WebhookBody(shown(root, "webhook_type"), shown(root, "webhook_code"), shown(root, "item_id"),
				(root.path("environment").isString()
						&& root.path("environment").asString().length() <= WebhookShape.MAX_ID)
								? root.path("environment").asString() : null,
				root, invalid);
	}

	/**
	 * The field as stored: its text when valid; for an invalid body, its text or JSON,
	 * cut to Plaid's id length.
	 */
	private static String shown(JsonNode root, String field) {
		JsonNode value = root.path(field);
		String text = value.isString() ? value.asString() : (value.isMissingNode() ? "" : value.toString());
		return (text.length() > WebhookShape.MAX_ID) ? text.substring(0, WebhookShape.MAX_ID) : text;
	}

	boolean valid() {
		return this.invalid == null;
	}

	static boolean isKnown(String type, String code) {
		Set<String> codes = KNOWN.get(type);
		return codes != null && codes.contains(code);
	}

	boolean known() {
		return isKnown(this.type, this.code);
	}

	/** Plaid's {@code error} object, when it is present and not null. */
	JsonNode error() {
		JsonNode error = this.json.path("error");
		return error.isObject() ? error : null;
	}

	String errorCode() {
		JsonNode error = error();
		return (error != null && error.path("error_code").isString()) ? error.path("error_code").asString() : null;
	}

	String errorMessage() {
		JsonNode error = error();
		return (error != null && error.path("error_message").isString()) ? error.path("error_message").asString()
				: null;
	}

	/**
	 * {@code cancelled_investments_transactions}, or the older
	 * {@code canceled_investments_transactions}.
	 */
	int cancelledTransactions() {
		return Math.max(this.json.path("cancelled_investments_transactions").asInt(0),
				this.json.path("canceled_investments_transactions").asInt(0));
	}

	String text(String field) {
		JsonNode value = this.json.path(field);
		return value.isString() ? value.asString() : null;
	}

}
