package dev.plaidsync.operations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Operators authenticate with {@code Authorization: Bearer <PLAIDSYNC_OPS_TOKEN>}, compared in constant time. The
 * console's own page and assets load without it; the page then asks for the token.
 */
class OpsAuthenticationFilter extends OncePerRequestFilter {

	static final String OPERATOR_HEADER = "X-Operator";

	private static final Set<String> CONSOLE = Set.of("/ops", "/ops/", "/ops/index.html", "/ops/console.js",
			"/ops/console.css");

	private final byte[] token;

	OpsAuthenticationFilter(String token) {
		this.token = token.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return !path.startsWith("/ops") || ("GET".equals(request.getMethod()) && CONSOLE.contains(path));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader("Authorization");
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			reject(response, "missing_token", "Send Authorization: Bearer <PLAIDSYNC_OPS_TOKEN>.");
			return;
		}
		byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
		if (!MessageDigest.isEqual(presented, this.token)) {
			reject(response, "invalid_token", "The operator token is not the one this engine was given (PLAIDSYNC_OPS_TOKEN).");
			return;
		}
		chain.doFilter(request, response);
	}

	private static void reject(HttpServletResponse response, String error, String message) throws IOException {
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setHeader("WWW-Authenticate", "Bearer realm=\"plaid-sync operations\"");
		response.setContentType("application/json");
		response.getWriter().write("{\"error\":\"" + error + "\",\"message\":\"" + message + "\"}");
	}

}
