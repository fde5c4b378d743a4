package dev.plaidsync.operations;

import org.springframework.http.HttpStatus;

/**
 * An operator request that cannot be done, with the status and the reason the operator
 * sees.
 */
class OpsException extends RuntimeException {

	private final HttpStatus status;

	private final String error;

	OpsException(HttpStatus status, String error, String message) {
		super(message);
		this.status = status;
		this.error = error;
	}

	static OpsException notFound(String what) {
		return new OpsException(HttpStatus.NOT_FOUND, "not_found", what + " does not exist");
	}

	static OpsException conflict(String message) {
		return new OpsException(HttpStatus.CONFLICT, "not_allowed", message);
	}

	static OpsException badRequest(String message) {
		return new OpsException(HttpStatus.BAD_REQUEST, "bad_request", message);
	}

	HttpStatus status() {
		return this.status;
	}

	String error() {
		return this.error;
	}

}
