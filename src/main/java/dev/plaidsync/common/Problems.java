package dev.plaidsync.common;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The one error body of every API ({@code /api}, {@code /ops}, {@code /webhook} and the
 * security chains' refusals): an RFC 9457 problem, {@code application/problem+json}:
 * <pre>
 * {"type": "urn:plaidsync:problem:&lt;error&gt;", "title": "&lt;HTTP reason&gt;", "status": 400,
 *  "detail": "&lt;what happened and what to do&gt;", "instance": "&lt;request path&gt;",
 *  "error": "&lt;error&gt;", "message": "&lt;same as detail&gt;", ...details}
 * </pre> {@code error} and {@code message} are the fields every client read before the
 * problem shape, kept as extension members; details such as {@code retry_after_seconds}
 * or {@code plaid_error_code} are extension members too.
 */
public final class Problems {

	static final String TYPE_PREFIX = "urn:plaidsync:problem:";

	private Problems() {
	}

	public static ProblemDetail problem(HttpStatusCode status, String error, String message) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
		problem.setType(URI.create(TYPE_PREFIX + error));
		HttpStatus known = HttpStatus.resolve(status.value());
		problem.setTitle((known != null) ? known.getReasonPhrase() : "Error " + status.value());
		problem.setProperty("error", error);
		problem.setProperty("message", message);
		return problem;
	}

	/**
	 * A problem that says when to come back: {@code Retry-After} and
	 * {@code retry_after_seconds}.
	 */
	public static ProblemDetail retryLater(HttpStatusCode status, String error, String message, long seconds) {
		ProblemDetail problem = problem(status, error, message);
		problem.setProperty("retry_after_seconds", seconds);
		return problem;
	}

	/**
	 * The answer for a problem, with {@code Retry-After} when it carries
	 * {@code retry_after_seconds}.
	 */
	public static ResponseEntity<ProblemDetail> answer(ProblemDetail problem) {
		ResponseEntity.BodyBuilder answer = ResponseEntity.status(problem.getStatus())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		Object retryAfter = retryAfterSeconds(problem);
		if (retryAfter != null) {
			answer.header(HttpHeaders.RETRY_AFTER, retryAfter.toString());
		}
		return answer.body(problem);
	}

	static Object retryAfterSeconds(ProblemDetail problem) {
		return (problem.getProperties() != null) ? problem.getProperties().get("retry_after_seconds") : null;
	}

	public static ResponseEntity<ProblemDetail> answer(HttpStatusCode status, String error, String message) {
		return answer(problem(status, error, message));
	}

}
