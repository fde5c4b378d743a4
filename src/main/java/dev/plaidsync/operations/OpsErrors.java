package dev.plaidsync.operations;

import java.util.Map;

import dev.plaidsync.common.PageRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Every operator error is a precise status with {@code {error, message}}; never a stack trace. */
@RestControllerAdvice(basePackageClasses = OpsErrors.class)
class OpsErrors {

	@ExceptionHandler
	ResponseEntity<Map<String, String>> ops(OpsException ex) {
		return ResponseEntity.status(ex.status()).body(Map.of("error", ex.error(), "message", ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException ex) {
		return ResponseEntity.badRequest()
			.body(Map.of("error", "malformed_json", "message", "The request body is not the JSON this endpoint takes"));
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> badPage(PageRequest.BadPageRequest ex) {
		return ResponseEntity.badRequest().body(Map.of("error", "bad_request", "message", ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> mistyped(MethodArgumentTypeMismatchException ex) {
		String wanted = (ex.getRequiredType() != null) ? ex.getRequiredType().getSimpleName() : "value";
		String message = switch (wanted) {
			case "int", "Integer", "long", "Long" -> ex.getName() + " must be a whole number";
			default -> ex.getName() + " must be a valid " + wanted;
		};
		return ResponseEntity.badRequest()
			.body(Map.of("error", "bad_request", "message", message + ", not '" + ex.getValue() + "'"));
	}

	@ExceptionHandler
	ResponseEntity<Map<String, String>> missing(MissingServletRequestParameterException ex) {
		return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(Map.of("error", "bad_request", "message", ex.getMessage()));
	}

}
