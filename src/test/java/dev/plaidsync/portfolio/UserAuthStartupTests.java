package dev.plaidsync.portfolio;

import java.util.HashMap;
import java.util.Map;

import dev.plaidsync.PlaidSyncApplication;
import dev.plaidsync.common.StartupConfigurationException;
import dev.plaidsync.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserAuthStartupTests {

	@Test
	void outsideSimulatorModeWithoutAWayToCheckUsersTokensStartupIsRefused() {
		assertRefused(Map.of(), "Users' JWTs cannot be checked");
	}

	@Test
	void aJwksUriWithoutAnIssuerIsRefused() {
		assertRefused(Map.of("plaidsync.auth.jwks-uri", "https://example.com/jwks.json"),
				"PLAIDSYNC_AUTH_JWKS_URI is set without PLAIDSYNC_AUTH_ISSUER");
	}

	@Test
	void aShortHs256SecretIsRefused() {
		assertRefused(
				Map.of("plaidsync.auth.hs256-secret", "short", "plaidsync.auth.issuer",
						"https://project.supabase.co/auth/v1", "plaidsync.auth.audience", "authenticated"),
				"HS256 needs at least 32");
	}

	@Test
	void anHs256SecretWithoutAnIssuerIsRefused() {
		assertRefused(
				Map.of("plaidsync.auth.hs256-secret", "a-supabase-legacy-secret-of-at-least-32-chars",
						"plaidsync.auth.audience", "authenticated"),
				"PLAIDSYNC_AUTH_HS256_SECRET is set without PLAIDSYNC_AUTH_ISSUER");
	}

	@Test
	void outsideSimulatorModeAnAudienceIsRequired() {
		assertRefused(
				Map.of("plaidsync.auth.hs256-secret", "a-supabase-legacy-secret-of-at-least-32-chars",
						"plaidsync.auth.issuer", "https://project.supabase.co/auth/v1"),
				"PLAIDSYNC_AUTH_AUDIENCE is not set");
		assertRefused(Map.of("plaidsync.auth.jwks-uri", "https://example.com/jwks.json", "plaidsync.auth.issuer",
				"https://example.com"), "PLAIDSYNC_AUTH_AUDIENCE is not set");
	}

	@Test
	void anHs256SecretWithItsIssuerAndAudienceIsEnough() {
		try (ConfigurableApplicationContext context = run(Map.of("plaidsync.auth.hs256-secret",
				"a-supabase-legacy-secret-of-at-least-32-chars", "plaidsync.auth.issuer",
				"https://project.supabase.co/auth/v1", "plaidsync.auth.audience", "authenticated"))) {
			assertThat(context.isActive()).isTrue();
		}
	}

	private static void assertRefused(Map<String, Object> auth, String message) {
		assertThatThrownBy(() -> run(auth).close()).satisfies((failure) -> {
			Throwable cause = failure;
			while (cause != null && !(cause instanceof StartupConfigurationException)) {
				cause = cause.getCause();
			}
			assertThat(cause).isNotNull().hasMessageContaining(message);
		});
	}

	private static ConfigurableApplicationContext run(Map<String, Object> auth) {
		Map<String, Object> all = new HashMap<>(auth);
		all.put("plaid.env", "sandbox");
		all.put("plaid.client-id", "id");
		all.put("plaid.secret", "secret");
		all.put("plaid.webhook-url", "https://example.com/webhook/plaid");
		all.put("spring.datasource.url", TestDatabase.newMigratedDatabaseUrl());
		all.put("spring.datasource.username", TestDatabase.username());
		all.put("plaidsync.token.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
		all.put("plaidsync.ops.token", "ops");
		all.put("plaidsync.demo.users", "0");
		all.put("logging.level.root", "off");
		String[] arguments = all.entrySet()
			.stream()
			.map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		return new SpringApplicationBuilder(PlaidSyncApplication.class).web(WebApplicationType.NONE).run(arguments);
	}

}
