package dev.plaidsync.simulator.internal;

final class PlaidException extends RuntimeException {

	final int status;

	final String errorType;

	final String errorCode;

	final String displayMessage;

	final String documentationUrl;

	PlaidException(int status, String errorType, String errorCode, String errorMessage, String displayMessage,
			String documentationUrl) {
		super(errorMessage, null, false, false);
		this.status = status;
		this.errorType = errorType;
		this.errorCode = errorCode;
		this.displayMessage = displayMessage;
		this.documentationUrl = documentationUrl;
	}

	static PlaidException invalidApiKeys() {
		return new PlaidException(400, "INVALID_INPUT", "INVALID_API_KEYS", "invalid client_id or secret provided",
				null, "https://plaid.com/docs/errors/invalid-input/#invalid_api_keys");
	}

	static PlaidException invalidAccessToken() {
		return new PlaidException(400, "INVALID_INPUT", "INVALID_ACCESS_TOKEN",
				"provided access token is in an invalid format. expected format: access-<environment>-<identifier>",
				null, "https://plaid.com/docs/errors/invalid-input/#invalid_access_token");
	}

	static PlaidException itemNotFound() {
		return new PlaidException(400, "ITEM_ERROR", "ITEM_NOT_FOUND",
				"the Item you requested cannot be found. This Item does not exist, has been previously removed via /item/remove, or has had access removed by the user.",
				null, "https://plaid.com/docs/errors/item/#item_not_found");
	}

	static PlaidException invalidPublicToken() {
		return new PlaidException(400, "INVALID_INPUT", "INVALID_PUBLIC_TOKEN",
				"provided public token is expired or has already been exchanged. Public tokens can be exchanged once, within 30 minutes of creation",
				null, "https://plaid.com/docs/errors/invalid-input/#invalid_public_token");
	}

	static PlaidException invalidLinkToken() {
		return new PlaidException(400, "INVALID_INPUT", "INVALID_LINK_TOKEN",
				"provided link token is invalid or expired", null,
				"https://plaid.com/docs/errors/invalid-input/#invalid_link_token");
	}

	static PlaidException itemLoginRequired() {
		return new PlaidException(400, "ITEM_ERROR", "ITEM_LOGIN_REQUIRED",
				"the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information. use Link's update mode to restore the item to a good state",
				"The login details of this account have changed. Please log in again to continue.",
				"https://plaid.com/docs/errors/item/#item_login_required");
	}

	static PlaidException productNotReady() {
		return new PlaidException(400, "ITEM_ERROR", "PRODUCT_NOT_READY",
				"the requested product is not yet ready. please provide a webhook or try the request again later", null,
				"https://plaid.com/docs/errors/item/#product_not_ready");
	}

	static PlaidException productNotSupported() {
		return new PlaidException(400, "ITEM_ERROR", "PRODUCT_NOT_SUPPORTED",
				"the requested product is not supported by this institution", null,
				"https://plaid.com/docs/errors/item/#product_not_supported");
	}

	static PlaidException rateLimit(String errorCode, boolean perItem) {
		return new PlaidException(429, "RATE_LIMIT_EXCEEDED", errorCode,
				perItem ? "rate limit exceeded for attempts to access this item. please try again later"
						: "rate limit exceeded for this client. please try again later",
				null, "https://plaid.com/docs/errors/rate-limit-exceeded/");
	}

	static PlaidException internalServerError() {
		return new PlaidException(500, "API_ERROR", "INTERNAL_SERVER_ERROR",
				"an unexpected error occurred while processing your request",
				"Oops, something went wrong. Please try again.",
				"https://plaid.com/docs/errors/api/#internal_server_error");
	}

	static PlaidException institutionDown() {
		return new PlaidException(400, "INSTITUTION_ERROR", "INSTITUTION_DOWN",
				"this institution is not currently responding to this request. please try again soon",
				"This financial institution is not currently responding to requests. We apologize for the inconvenience.",
				"https://plaid.com/docs/errors/institution/#institution_down");
	}

	static PlaidException invalidWebhookKeyId() {
		return new PlaidException(400, "INVALID_INPUT", "INVALID_WEBHOOK_VERIFICATION_KEY_ID",
				"invalid key_id provided. note that key_ids are specific to Plaid environments, and verification requests must be made to the same environment that the webhook was sent from",
				null, "https://plaid.com/docs/errors/invalid-input/#invalid_webhook_verification_key_id");
	}

	static PlaidException invalidInstitution() {
		return new PlaidException(400, "INVALID_INPUT", "INVALID_INSTITUTION", "invalid institution_id provided", null,
				"https://plaid.com/docs/errors/invalid-input/#invalid_institution");
	}

	static PlaidException productsNotSupported(String institutionName, java.util.List<String> products) {
		return new PlaidException(400, "ITEM_ERROR", "PRODUCTS_NOT_SUPPORTED",
				institutionName + " does not support the requested products: " + String.join(", ", products), null,
				"https://plaid.com/docs/errors/item/#products_not_supported");
	}

	static PlaidException missingField(String field) {
		return new PlaidException(400, "INVALID_REQUEST", "MISSING_FIELDS",
				"the following required fields are missing: " + field, null,
				"https://plaid.com/docs/errors/invalid-request/#missing_fields");
	}

	static PlaidException invalidField(String message) {
		return new PlaidException(400, "INVALID_REQUEST", "INVALID_FIELD", message, null,
				"https://plaid.com/docs/errors/invalid-request/#invalid_field");
	}

	static PlaidException invalidBody() {
		return new PlaidException(400, "INVALID_REQUEST", "INVALID_BODY",
				"body could not be parsed as JSON. please check the body of your request", null,
				"https://plaid.com/docs/errors/invalid-request/#invalid_body");
	}

}
