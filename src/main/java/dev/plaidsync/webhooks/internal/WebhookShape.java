package dev.plaidsync.webhooks.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Plaid's shape for the webhook fields the engine reads (docs/plaid.md; the OpenAPI
 * spec's {@code *Webhook} and {@code PlaidError} schemas): {@code webhook_type} and
 * {@code webhook_code} are Plaid's upper-case codes, {@code item_id} and
 * {@code account_id} Plaid's ids (37 base62 characters; up to 64 of {@code [A-Za-z0-9_-]}
 * accepted), counts are whole numbers, {@code error} is null or an object of short
 * strings. Fields the engine does not read are not checked: Plaid may add some at any
 * time.
 */
final class WebhookShape {

	static final int MAX_ID = 64;

	static final long MAX_COUNT = 1_000_000_000L;

	private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_ID + "}");

	private static final List<String> COUNTS = List.of("new_holdings", "updated_holdings",
			"new_investments_transactions", "cancelled_investments_transactions", "canceled_investments_transactions");

	private static final List<String> SHORT_TEXTS = List.of("environment", "user_id", "consent_expiration_time",
			"disconnect_time", "reason");

	private WebhookShape() {
	}

	/**
	 * What is wrong with the body's shape, in words an operator can act on, or null when
	 * it is Plaid's.
	 */
	static String violation(JsonNode root) {
		String wrong = code(root, "webhook_type");
		wrong = (wrong != null) ? wrong : code(root, "webhook_code");
		wrong = (wrong != null) ? wrong : id(root, "item_id", true);
		wrong = (wrong != null) ? wrong : id(root, "account_id", false);
		for (String field : SHORT_TEXTS) {
			wrong = (wrong != null) ? wrong : text(root, field, field, MAX_ID);
		}
		wrong = (wrong != null) ? wrong : text(root, "new_webhook_url", "new_webhook_url", 2048);
		for (String field : COUNTS) {
			wrong = (wrong != null) ? wrong : count(root.path(field), field);
		}
		return (wrong != null) ? wrong : error(root.path("error"));
	}

	private static String code(JsonNode root, String field) {
		JsonNode value = root.path(field);
		if (value.isMissingNode() || value.isNull()) {
			return field + " is missing";
		}
		if (!value.isString()) {
			return field + " is " + kind(value) + "; Plaid sends a string";
		}
		if (!CODE.matcher(value.asString()).matches()) {
			return field + " is not one of Plaid's codes (upper-case letters, digits and _, at most 64)"
					+ describe(value.asString());
		}
		return null;
	}

	private static String id(JsonNode root, String field, boolean required) {
		JsonNode value = root.path(field);
		if (value.isMissingNode() || value.isNull()) {
			return required ? field + " is missing" : null;
		}
		if (!value.isString()) {
			return field + " is " + kind(value) + "; Plaid sends a string";
		}
		if (!ID.matcher(value.asString()).matches()) {
			return field + " is not a Plaid id (1 to " + MAX_ID + " characters of A-Z, a-z, 0-9, _ and -)"
					+ describe(value.asString());
		}
		return null;
	}

	private static String text(JsonNode parent, String field, String name, int maxLength) {
		JsonNode value = parent.path(field);
		if (value.isMissingNode() || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			return name + " is " + kind(value) + "; Plaid sends a string or null";
		}
		if (value.asString().length() > maxLength) {
			return name + " has " + value.asString().length() + " characters; Plaid's have at most " + maxLength;
		}
		return null;
	}

	private static String count(JsonNode value, String field) {
		if (value.isMissingNode() || value.isNull()) {
			return null;
		}
		if (!value.isNumber()) {
			return field + " is " + kind(value) + "; Plaid sends a whole number";
		}
		BigDecimal number = value.decimalValue();
		if (number.signum() < 0 || number.compareTo(BigDecimal.valueOf(MAX_COUNT)) > 0
				|| number.stripTrailingZeros().scale() > 0) {
			return field + " is " + abbreviate(number.toString()) + "; Plaid sends a whole number from 0 to "
					+ MAX_COUNT;
		}
		return null;
	}

	private static String error(JsonNode error) {
		if (error.isMissingNode() || error.isNull()) {
			return null;
		}
		if (!error.isObject()) {
			return "error is " + kind(error) + "; Plaid sends an object or null";
		}
		String wrong = text(error, "error_type", "error.error_type", MAX_ID);
		wrong = (wrong != null) ? wrong : text(error, "error_code", "error.error_code", MAX_ID);
		wrong = (wrong != null) ? wrong : text(error, "request_id", "error.request_id", MAX_ID);
		wrong = (wrong != null) ? wrong : text(error, "error_message", "error.error_message", 2000);
		wrong = (wrong != null) ? wrong : text(error, "display_message", "error.display_message", 2000);
		JsonNode status = error.path("status");
		if (wrong == null && !status.isMissingNode() && !status.isNull() && !status.isIntegralNumber()) {
			wrong = "error.status is " + kind(status) + "; Plaid sends a whole number or null";
		}
		return wrong;
	}

	private static String kind(JsonNode value) {
		if (value.isString()) {
			return "a string";
		}
		if (value.isNumber()) {
			return "a number";
		}
		if (value.isBoolean()) {
			return "a boolean";
		}
		if (value.isArray()) {
			return "an array";
		}
		if (value.isObject()) {
			return "an object";
		}
		return "null";
	}

	private static String describe(String value) {
		return (value.length() > 80) ? " (" + value.length() + " characters)"
				: " (\"" + value.replaceAll("\\p{Cntrl}", "?") + "\")";
	}

	private static String abbreviate(String text) {
		return (text.length() > 40) ? text.substring(0, 40) + "..." : text;
	}

}
