package dev.plaidsync.portfolio;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.plaidsync.common.ProblemResponses;
import dev.plaidsync.common.Problems;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code GET /api/portfolio/stream?ticket=...} (that route alone) by its
 * stream ticket: a valid one makes the request the ticket's user's; an unknown, expired
 * or used one is a 401 problem that says to ask for a new ticket. The ticket is never
 * logged.
 */
final class StreamTicketFilter extends OncePerRequestFilter {

	static final String PATH = "/api/portfolio/stream";

	private final StreamTickets tickets;

	private final ProblemResponses problems;

	private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

	StreamTicketFilter(StreamTickets tickets, ProblemResponses problems) {
		this.tickets = tickets;
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"GET".equals(request.getMethod()) || !PATH.equals(request.getRequestURI());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String ticket = request.getParameter("ticket");
		if (ticket == null) {
			chain.doFilter(request, response);
			return;
		}
		if (request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
			this.problems.write(request, response, Problems.problem(HttpStatus.BAD_REQUEST, "ambiguous_credentials",
					"Send either a stream ticket (?ticket=...) or 'Authorization: Bearer <JWT>', not both."));
			return;
		}
		Optional<UUID> user = ticket.isEmpty() ? Optional.empty() : this.tickets.redeem(ticket);
		if (user.isEmpty()) {
			this.problems.write(request, response, Problems.problem(HttpStatus.UNAUTHORIZED, "invalid_ticket",
					"This stream ticket is unknown, expired or already used: a ticket lives "
							+ StreamTickets.TTL.toSeconds() + " s and opens one stream. Ask for a new one with "
							+ "POST /api/portfolio/stream-ticket (with your JWT) and open the stream with it."));
			return;
		}
		SecurityContext context = this.contexts.createEmptyContext();
		context.setAuthentication(new StreamTicketAuthentication(user.get()));
		this.contexts.setContext(context);
		chain.doFilter(request, response);
	}

}
