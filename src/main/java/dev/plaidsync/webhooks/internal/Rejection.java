package dev.plaidsync.webhooks.internal;

import org.springframework.http.HttpStatus;

/**
 * Why a request to {@code /webhook/plaid} is not stored: the status to answer, a short
 * machine reason (also the metric tag) and a message that says what happened. Never
 * carries a stack trace to the caller.
 */
final class Rejection extends RuntimeException {

	private final HttpStatus status;

	private final String reason;

	private Rejection(HttpStatus status, String reason, String message) {
		super(message, null, false, false);
		this.status = status;
		this.reason = reason;
	}

	static Rejection unauthorized(String reason, String message) {
		return new Rejection(HttpStatus.UNAUTHORIZED, reason, message);
	}

	static Rejection badRequest(String reason, String message) {
		return new Rejection(HttpStatus.BAD_REQUEST, reason, message);
	}

	static Rejection tooLarge(long limit) {
		return new Rejection(HttpStatus.CONTENT_TOO_LARGE, "body_too_large",
				"The body is larger than " + limit + " bytes; Plaid's webhooks are far smaller");
	}

	static Rejection unavailable(String reason, String message) {
		return new Rejection(HttpStatus.SERVICE_UNAVAILABLE, reason, message);
	}

	HttpStatus status() {
		return this.status;
	}

	String reason() {
		return this.reason;
	}

}
