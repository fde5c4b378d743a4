package dev.plaidsync.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies larger than an API ever needs before anything reads them: 413 over the limit by
 * {@code Content-Length}, 411 for a chunked body (whose length is unknown until it has been read).
 */
public final class RequestBodyLimit extends OncePerRequestFilter {

	private final long maxBytes;

	public RequestBodyLimit(long maxBytes) {
		this.maxBytes = maxBytes;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean chunked = "chunked".equalsIgnoreCase(request.getHeader(HttpHeaders.TRANSFER_ENCODING));
		if (chunked) {
			refuse(response, 411, "length_required", "Send the body with a Content-Length.");
			return;
		}
		if (request.getContentLengthLong() > this.maxBytes) {
			refuse(response, 413, "body_too_large",
					"The body is larger than " + this.maxBytes + " bytes; no request to this API needs that much.");
			return;
		}
		chain.doFilter(request, response);
	}

	private static void refuse(HttpServletResponse response, int status, String error, String message) throws IOException {
		response.setStatus(status);
		response.setContentType("application/json");
		response.getOutputStream()
			.write(("{\"error\":\"" + error + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
	}

}
