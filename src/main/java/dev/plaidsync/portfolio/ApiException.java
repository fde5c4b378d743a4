package dev.plaidsync.portfolio;

import org.springframework.http.HttpStatus;

/** An answer other than success, with what happened and what to do: {@code {"error": ..., "message": ...}}. */
class ApiException extends RuntimeException {

	private final HttpStatus status;

	private final String error;

	private final ApiError.Details details;

	ApiException(HttpStatus status, String error, String message) {
		this(status, error, message, ApiError.Details.NONE);
	}

	ApiException(HttpStatus status, String error, String message, ApiError.Details details) {
		super(message);
		this.status = status;
		this.error = error;
		this.details = details;
	}

	static ApiException unknownItem(String itemId) {
		return new ApiException(HttpStatus.NOT_FOUND, "item_not_found",
				"You have no item " + abbreviate(itemId) + ". GET /api/plaid/items lists yours.");
	}

	static String abbreviate(String value) {
		return (value.length() > 80) ? value.substring(0, 80) + "..." : value;
	}

	HttpStatus status() {
		return this.status;
	}

	String error() {
		return this.error;
	}

	ApiError.Details details() {
		return this.details;
	}

}
