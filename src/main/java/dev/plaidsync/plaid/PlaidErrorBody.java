package dev.plaidsync.plaid;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The fields of Plaid's error body that the engine decides on. */
@JsonIgnoreProperties(ignoreUnknown = true)
record PlaidErrorBody(@JsonProperty("error_type") String errorType, @JsonProperty("error_code") String errorCode,
		@JsonProperty("error_message") String errorMessage, @JsonProperty("display_message") String displayMessage,
		@JsonProperty("request_id") String requestId) {
}
