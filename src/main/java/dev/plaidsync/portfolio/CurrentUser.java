package dev.plaidsync.portfolio;

import java.util.UUID;

import dev.plaidsync.common.LogContext;
import dev.plaidsync.items.Users;
import org.slf4j.MDC;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * The engine's user id for a verified JWT: its {@code sub} maps to
 * {@code app_users.auth_subject}, and the user is created on first use. Not cached, so
 * that a user deleted on one replica is not resurrected as a stale id on another.
 */
@Component
class CurrentUser {

	private final Users users;

	CurrentUser(Users users) {
		this.users = users;
	}

	/**
	 * Also names the user on every line the request logs from here on ({@code user_id};
	 * the request's end clears it).
	 */
	UUID id(Jwt jwt) {
		UUID id = this.users.idFor(jwt.getSubject());
		MDC.put(LogContext.USER_ID, id.toString());
		return id;
	}

}
