package dev.plaidsync.items;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Maps an authentication subject (a JWT's {@code sub}, any string) to the engine's user id, creating it once. */
@Component
public class Users {

	private final JdbcClient jdbc;

	Users(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public UUID idFor(String authSubject) {
		return this.jdbc.sql("""
				INSERT INTO app_users (auth_subject) VALUES (:subject)
				ON CONFLICT (auth_subject) DO UPDATE SET auth_subject = EXCLUDED.auth_subject
				RETURNING id
				""").param("subject", authSubject).query(UUID.class).single();
	}

}
