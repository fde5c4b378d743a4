package dev.plaidsync.common;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * What no module's own advice answers, for every controller (and for paths no controller
 * serves): Spring MVC's refusals, {@link InputGuard}'s, bad pages, and anything
 * unexpected, each a {@link Problems problem} with a precise status. An unexpected
 * failure is logged with its stack trace and answered 500 without one.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ApiProblems {

	private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

	@ExceptionHandler
	ResponseEntity<ProblemDetail> rejected(InputGuard.RejectedInput ex) {
		return Problems.answer(HttpStatus.BAD_REQUEST, "invalid_input", ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> badPage(PageRequest.BadPageRequest ex) {
		return Problems.answer(HttpStatus.BAD_REQUEST, "bad_request", ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException ex) {
		return Problems.answer(HttpStatus.BAD_REQUEST, "malformed_json",
				"The request body is not the JSON this endpoint takes: send a JSON object with the documented fields.");
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> mistyped(MethodArgumentTypeMismatchException ex) {
		String wanted = (ex.getRequiredType() != null) ? ex.getRequiredType().getSimpleName() : "value";
		String message = switch (wanted) {
			case "int", "Integer", "long", "Long" -> ex.getName() + " must be a whole number";
			case "LocalDate" -> ex.getName() + " must be a date such as 2025-01-31";
			case "Instant" -> ex.getName() + " must be an instant such as 2025-01-31T00:00:00Z";
			default -> ex.getName() + " must be a valid " + wanted;
		};
		return Problems.answer(HttpStatus.BAD_REQUEST, "bad_request",
				message + ", not '" + InputGuard.abbreviate(String.valueOf(ex.getValue())) + "'");
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> missing(MissingServletRequestParameterException ex) {
		return Problems.answer(HttpStatus.BAD_REQUEST, "missing_parameter",
				"Add the '" + ex.getParameterName() + "' parameter.");
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException ex) {
		return Problems.answer(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
				"Send the body as application/json.");
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException ex) {
		return Problems.answer(HttpStatus.NOT_ACCEPTABLE, "not_acceptable", "This endpoint answers application/json.");
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException ex) {
		return Problems.answer(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
				"This path does not accept " + ex.getMethod() + "; it accepts " + ex.getSupportedHttpMethods() + ".");
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> noSuchPath(NoResourceFoundException ex) {
		return Problems.answer(HttpStatus.NOT_FOUND, "not_found", "There is nothing at this path.");
	}

	@ExceptionHandler
	void clientWentAway(AsyncRequestNotUsableException ex) {
		// the client disconnected; there is nobody to answer
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		if (ex instanceof ErrorResponse refusal && !refusal.getStatusCode().is5xxServerError()) {
			HttpStatusCode status = refusal.getStatusCode();
			HttpStatus known = HttpStatus.resolve(status.value());
			String error = (known != null) ? known.name().toLowerCase(Locale.ROOT) : "error_" + status.value();
			String detail = refusal.getBody().getDetail();
			return Problems.answer(status, error, (detail != null) ? detail : "The request cannot be served.");
		}
		log.error("A request failed unexpectedly", ex);
		return Problems.answer(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
				"Something failed on our side; nothing you sent was wrong. Try again in a minute.");
	}

}
