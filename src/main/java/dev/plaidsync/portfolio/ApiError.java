package dev.plaidsync.portfolio;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * Every refusal or failure of the user API: {@code {"error": ..., "message": ...}}, and beside them the details that
 * say more, where there are any.
 */
record ApiError(String error, String message, @JsonUnwrapped Details details) {

	ApiError(String error, String message) {
		this(error, message, Details.NONE);
	}

	/** What some refusals add; only those given appear. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Details(@JsonProperty("retry_after_seconds") Long retryAfterSeconds,
			@JsonProperty("plaid_error_code") String plaidErrorCode, @JsonProperty("missing_key_id") String missingKeyId,
			@JsonProperty("existing_item_id") String existingItemId,
			@JsonProperty("removed_item_id") String removedItemId) {

		static final Details NONE = new Details(null, null, null, null, null);

		static Details retryAfter(long seconds) {
			return new Details(seconds, null, null, null, null);
		}

		static Details plaidErrorCode(String code) {
			return new Details(null, code, null, null, null);
		}

		static Details missingKey(String keyId) {
			return new Details(null, null, keyId, null, null);
		}

		static Details duplicate(String existingItemId, String removedItemId) {
			return new Details(null, null, null, existingItemId, removedItemId);
		}

	}

}
