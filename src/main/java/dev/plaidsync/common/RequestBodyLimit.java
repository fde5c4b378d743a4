package dev.plaidsync.common;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies larger than an API ever needs before anything reads them: 413
 * over the limit by {@code Content-Length}, 411 for a chunked body (whose length is
 * unknown until it has been read).
 */
public final class RequestBodyLimit extends OncePerRequestFilter {

	private final long maxBytes;

	private final ProblemResponses problems;

	public RequestBodyLimit(long maxBytes, ProblemResponses problems) {
		this.maxBytes = maxBytes;
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean chunked = "chunked".equalsIgnoreCase(request.getHeader(HttpHeaders.TRANSFER_ENCODING));
		if (chunked) {
			this.problems.write(request, response, Problems.problem(HttpStatus.LENGTH_REQUIRED, "length_required",
					"Send the body with a Content-Length."));
			return;
		}
		if (request.getContentLengthLong() > this.maxBytes) {
			this.problems.write(request, response, Problems.problem(HttpStatus.CONTENT_TOO_LARGE, "body_too_large",
					"The body is larger than " + this.maxBytes + " bytes; no request to this API needs that much."));
			return;
		}
		chain.doFilter(request, response);
	}

}
