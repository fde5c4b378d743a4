package dev.plaidsync.common;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;

/**
 * Writes a {@link Problems problem} from where no controller answers (security filters,
 * entry points, access-denied handlers), through Jackson with Spring's
 * {@link ProblemDetailJacksonMixin}, so the extension members sit flat beside
 * {@code type}, {@code title} and {@code status}, exactly as Spring MVC writes them.
 */
public final class ProblemResponses {

	private final JsonMapper json;

	public ProblemResponses(JsonMapper json) {
		this.json = json.rebuild().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();
	}

	public void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
			throws IOException {
		if (problem.getInstance() == null) {
			problem.setInstance(URI.create(request.getRequestURI()));
		}
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		Object retryAfter = Problems.retryAfterSeconds(problem);
		if (retryAfter != null) {
			response.setHeader(HttpHeaders.RETRY_AFTER, retryAfter.toString());
		}
		response.getOutputStream().write(this.json.writeValueAsBytes(problem));
	}

	/** Renders a problem as Spring MVC would, for checks that compare the two. */
	public byte[] bytes(ProblemDetail problem) {
		return this.json.writeValueAsBytes(problem);
	}

}
