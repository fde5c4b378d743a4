package dev.plaidsync.items;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * Maps an authentication subject (a JWT's {@code sub}, any string) to the engine's user
 * id, creating it once. A known subject costs one read and no write.
 */
@NamedInterface("users")
@Component
public class Users {

	private final JdbcClient jdbc;

	Users(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public UUID idFor(String authSubject) {
		java.util.Optional<UUID> existing = this.jdbc.sql("SELECT id FROM app_users WHERE auth_subject = :subject")
			.param("subject", authSubject)
			.query(UUID.class)
			.optional();
		if (existing.isPresent()) {
			return existing.get();
		}
		return this.jdbc.sql("""
				INSERT INTO app_users (auth_subject) VALUES (:subject)
				ON CONFLICT (auth_subject) DO UPDATE SET auth_subject = EXCLUDED.auth_subject
				RETURNING id
				""").param("subject", authSubject).query(UUID.class).single();
	}

}
