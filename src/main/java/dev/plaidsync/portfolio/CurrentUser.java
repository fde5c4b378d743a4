package dev.plaidsync.portfolio;

import java.util.UUID;

import dev.plaidsync.items.Users;

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

	UUID id(Jwt jwt) {
		return this.users.idFor(jwt.getSubject());
	}

}
