package dev.plaidsync.portfolio;

import dev.plaidsync.common.Problems;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * An answer other than success, with what happened and what to do: a {@link Problems
 * problem}.
 */
class ApiException extends RuntimeException {

	private final ProblemDetail problem;

	ApiException(HttpStatus status, String error, String message) {
		super(message);
		this.problem = Problems.problem(status, error, message);
	}

	static ApiException unknownItem(String itemId) {
		return new ApiException(HttpStatus.NOT_FOUND, "item_not_found",
				"You have no item " + abbreviate(itemId) + ". GET /api/plaid/items lists yours.");
	}

	static String abbreviate(String value) {
		return (value.length() > 80) ? value.substring(0, 80) + "..." : value;
	}

	/**
	 * Adds a detail that says more ({@code plaid_error_code}, {@code existing_item_id},
	 * ...) to the answer.
	 */
	ApiException with(String detail, Object value) {
		this.problem.setProperty(detail, value);
		return this;
	}

	ProblemDetail problem() {
		return this.problem;
	}

}
