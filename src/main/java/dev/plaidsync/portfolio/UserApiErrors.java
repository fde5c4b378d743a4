package dev.plaidsync.portfolio;

import dev.plaidsync.items.AccessTokenUnreadable;
import dev.plaidsync.items.PlaidRequestFailed;
import dev.plaidsync.items.PublicTokenRejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.plaidsync.common.Problems;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The user API's own failures as {@link Problems problems} with a precise status; what
 * every API shares (and anything unexpected) is answered by common's advice.
 */
@RestControllerAdvice(basePackageClasses = UserApiErrors.class)
@Order(0)
class UserApiErrors {

	private static final Logger log = LoggerFactory.getLogger(UserApiErrors.class);

	@ExceptionHandler(ApiException.class)
	ResponseEntity<ProblemDetail> api(ApiException ex) {
		return Problems.answer(ex.problem());
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException ex) {
		return answer(HttpStatus.BAD_REQUEST, "malformed_json",
				"The request body is not the JSON this endpoint expects. Send a JSON object, such as {\"public_token\": \"public-...\"}.");
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException ex) {
		return answer(HttpStatus.BAD_REQUEST, "invalid_parameter",
				"'" + ex.getName() + "' cannot be '" + ApiException.abbreviate(String.valueOf(ex.getValue())) + "'"
						+ (ex.getRequiredType() != null && ex.getRequiredType().getSimpleName().equals("LocalDate")
								? ": use a date such as 2025-01-31." : "."));
	}

	@ExceptionHandler(PublicTokenRejected.class)
	ResponseEntity<ProblemDetail> publicTokenRejected(PublicTokenRejected ex) {
		return answer(HttpStatus.BAD_REQUEST, "invalid_public_token", ex.getMessage());
	}

	@ExceptionHandler(PlaidRequestFailed.class)
	ResponseEntity<ProblemDetail> plaid(PlaidRequestFailed failure) {
		String code = failure.errorCode();
		if ("INVALID_PUBLIC_TOKEN".equals(code)) {
			return answer(HttpStatus.BAD_REQUEST, "invalid_public_token",
					"Plaid does not know this public token, or it was already used or has expired (they live 30 minutes). "
							+ "Open Link again for a new one.");
		}
		return switch (failure.kind()) {
			case NEEDS_USER -> answer(HttpStatus.CONFLICT, "item_needs_user",
					"The institution needs you to sign in again (" + code + "): ask for an update-mode link token with "
							+ "POST /api/plaid/items/{itemId}/link-token and complete Link.",
					code);
			case RETRY_LATER -> retryLater(code);
			case REFUSED -> {
				log.warn("A user request failed at Plaid: {}", failure.getMessage());
				yield answer(HttpStatus.BAD_GATEWAY, "plaid_error", "Plaid refused the request (" + code
						+ "). Nothing was changed; try again, or contact support with this code.", code);
			}
		};
	}

	@ExceptionHandler(AccessTokenUnreadable.class)
	ResponseEntity<ProblemDetail> unreadableToken(AccessTokenUnreadable ex) {
		log.error("{}", ex.getMessage());
		ProblemDetail problem = Problems
			.problem(HttpStatus.CONFLICT, "access_token_unreadable", "This item's stored credentials need key '"
					+ ex.keyId() + "', which this server no longer has, so "
					+ "nothing was changed (the item may still be live at Plaid). Support has been told; try again later.");
		problem.setProperty("missing_key_id", ex.keyId());
		return Problems.answer(problem);
	}

	private static ResponseEntity<ProblemDetail> retryLater(String code) {
		ProblemDetail problem = Problems.retryLater(HttpStatus.SERVICE_UNAVAILABLE, "plaid_unavailable",
				"Plaid or the institution is busy or unavailable right now (" + code
						+ "). Nothing was changed; try again shortly.",
				30);
		problem.setProperty("plaid_error_code", code);
		return Problems.answer(problem);
	}

	static ResponseEntity<ProblemDetail> answer(HttpStatus status, String error, String message) {
		return Problems.answer(status, error, message);
	}

	private static ResponseEntity<ProblemDetail> answer(HttpStatus status, String error, String message,
			String plaidErrorCode) {
		ProblemDetail problem = Problems.problem(status, error, message);
		problem.setProperty("plaid_error_code", plaidErrorCode);
		return Problems.answer(problem);
	}

}
