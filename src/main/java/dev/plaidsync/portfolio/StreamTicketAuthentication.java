package dev.plaidsync.portfolio;

import java.util.List;
import java.util.UUID;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A request to {@code GET /api/portfolio/stream} that presented a valid stream ticket
 * instead of a JWT: the user the ticket was issued to. Admitted on that route only.
 */
final class StreamTicketAuthentication extends AbstractAuthenticationToken {

	private final UUID userId;

	StreamTicketAuthentication(UUID userId) {
		super(List.of());
		this.userId = userId;
		setAuthenticated(true);
	}

	UUID userId() {
		return this.userId;
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public Object getPrincipal() {
		return this.userId;
	}

}
