package dev.plaidsync.operations;

import dev.plaidsync.common.Problems;

import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every operator error is a precise status with a {@link Problems problem}; never a stack
 * trace. What every API shares (unreadable JSON, mistyped parameters, bad pages) is
 * answered by common's advice.
 */
@RestControllerAdvice(basePackageClasses = OpsErrors.class)
@Order(0)
class OpsErrors {

	@ExceptionHandler
	ResponseEntity<ProblemDetail> ops(OpsException ex) {
		return Problems.answer(ex.status(), ex.error(), ex.getMessage());
	}

}
