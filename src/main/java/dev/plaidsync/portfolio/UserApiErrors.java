package dev.plaidsync.portfolio;

import dev.plaidsync.items.AccessTokenUnreadable;
import dev.plaidsync.items.PlaidRequestFailed;
import dev.plaidsync.items.PublicTokenRejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Every failure of the user API as {@code {"error": ..., "message": ...}} with a precise status; never a stack trace.
 */
@RestControllerAdvice(basePackageClasses = UserApiErrors.class)
class UserApiErrors {

	private static final Logger log = LoggerFactory.getLogger(UserApiErrors.class);

	@ExceptionHandler(ApiException.class)
	ResponseEntity<ApiError> api(ApiException ex) {
		if (ex instanceof UserActionLimits.RetryLater later) {
			return ResponseEntity.status(ex.status())
				.header(HttpHeaders.RETRY_AFTER, Long.toString(later.retryAfterSeconds()))
				.contentType(MediaType.APPLICATION_JSON)
				.body(body(ex.error(), ex.getMessage(), ex.details()));
		}
		return answer(ex.status(), ex.error(), ex.getMessage(), ex.details());
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException ex) {
		return answer(HttpStatus.BAD_REQUEST, "malformed_json",
				"The request body is not the JSON this endpoint expects. Send a JSON object, such as {\"public_token\": \"public-...\"}.");
	}

	@ExceptionHandler(HttpMediaTypeNotSupportedException.class)
	ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException ex) {
		return answer(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
				"Send the body as application/json.");
	}

	@ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
	ResponseEntity<ApiError> notAcceptable(HttpMediaTypeNotAcceptableException ex) {
		return answer(HttpStatus.NOT_ACCEPTABLE, "not_acceptable", "This endpoint answers application/json.");
	}

	@ExceptionHandler(HttpRequestMethodNotSupportedException.class)
	ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException ex) {
		return answer(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
				"This path does not accept " + ex.getMethod() + "; it accepts " + ex.getSupportedHttpMethods() + ".");
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<ApiError> typeMismatch(MethodArgumentTypeMismatchException ex) {
		return answer(HttpStatus.BAD_REQUEST, "invalid_parameter",
				"'" + ex.getName() + "' cannot be '" + ApiException.abbreviate(String.valueOf(ex.getValue())) + "'"
						+ (ex.getRequiredType() != null && ex.getRequiredType().getSimpleName().equals("LocalDate")
								? ": use a date such as 2025-01-31." : "."));
	}

	@ExceptionHandler(MissingServletRequestParameterException.class)
	ResponseEntity<ApiError> missingParameter(MissingServletRequestParameterException ex) {
		return answer(HttpStatus.BAD_REQUEST, "missing_parameter", "Add the '" + ex.getParameterName() + "' parameter.");
	}

	@ExceptionHandler(PublicTokenRejected.class)
	ResponseEntity<ApiError> publicTokenRejected(PublicTokenRejected ex) {
		return answer(HttpStatus.BAD_REQUEST, "invalid_public_token", ex.getMessage());
	}

	@ExceptionHandler(PlaidRequestFailed.class)
	ResponseEntity<ApiError> plaid(PlaidRequestFailed failure) {
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
					ApiError.Details.plaidErrorCode(code));
			case RETRY_LATER -> retryLater(code);
			case REFUSED -> {
				log.warn("A user request failed at Plaid: {}", failure.getMessage());
				yield answer(HttpStatus.BAD_GATEWAY, "plaid_error",
						"Plaid refused the request (" + code + "). Nothing was changed; try again, or contact support with this code.",
						ApiError.Details.plaidErrorCode(code));
			}
		};
	}

	@ExceptionHandler(AccessTokenUnreadable.class)
	ResponseEntity<ApiError> unreadableToken(AccessTokenUnreadable ex) {
		log.error("{}", ex.getMessage());
		return answer(HttpStatus.CONFLICT, "access_token_unreadable",
				"This item's stored credentials need key '" + ex.keyId() + "', which this server no longer has, so "
						+ "nothing was changed (the item may still be live at Plaid). Support has been told; try again later.",
				ApiError.Details.missingKey(ex.keyId()));
	}

	@ExceptionHandler(AsyncRequestNotUsableException.class)
	void clientWentAway(AsyncRequestNotUsableException ex) {
		// the stream's client disconnected; there is nobody to answer
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ApiError> unexpected(Exception ex) {
		log.error("The user API failed unexpectedly", ex);
		return answer(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
				"Something failed on our side; nothing you sent was wrong. Try again in a minute.");
	}

	private static ResponseEntity<ApiError> retryLater(String code) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "30")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body("plaid_unavailable",
					"Plaid or the institution is busy or unavailable right now (" + code + "). Nothing was changed; try again shortly.",
					ApiError.Details.plaidErrorCode(code)));
	}

	static ResponseEntity<ApiError> answer(HttpStatus status, String error, String message) {
		return answer(status, error, message, ApiError.Details.NONE);
	}

	static ResponseEntity<ApiError> answer(HttpStatus status, String error, String message, ApiError.Details details) {
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body(error, message, details));
	}

	private static ApiError body(String error, String message, ApiError.Details details) {
		return new ApiError(error, message, details);
	}

}
