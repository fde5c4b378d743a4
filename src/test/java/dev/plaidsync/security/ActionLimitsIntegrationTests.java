package dev.plaidsync.security;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 26.3: every state-changing route of the user API (POST, PUT, PATCH or DELETE
 * under {@code /api}, from the engine's own route list, so a new one is covered unasked)
 * is limited per user: a fresh user repeating it is answered 429 with {@code Retry-After}
 * and {@code retry_after_seconds} within 25 calls (the default limits are 10 per hour,
 * and one sync per minute). The items named do not exist: the limit counts before any
 * work.
 */
@EngineIntegrationTest
class ActionLimitsIntegrationTests {

	private static final int ATTEMPTS = 25;

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mapping;

	@Test
	void everyStateChangingUserRouteAnswers429WithRetryAfterOnceItsLimitIsReached() {
		Http http = new Http(this.port);
		List<EngineRoutes.Route> routes = EngineRoutes.of(this.mapping)
			.under("/api")
			.stream()
			.filter(EngineRoutes.Route::changesState)
			.toList();
		assertThat(routes).extracting(EngineRoutes.Route::toString)
			.contains("POST /api/plaid/items/{itemId}/reconnected", "POST /api/portfolio/force-sync", "DELETE /api/me");
		for (EngineRoutes.Route route : routes) {
			String token = http.demoToken("limits-" + UUID.randomUUID());
			String path = route.path(Map.of("itemId", "item-that-does-not-exist"));
			byte[] body = route.bodyFields().isEmpty() ? null : "{}".getBytes();
			Http.Answer refused = null;
			for (int i = 0; i < ATTEMPTS && refused == null; i++) {
				Http.Answer answer = http.send(route.method(), path, token, body);
				assertThat(answer.status()).as("%s: %s", route, answer.body()).isLessThan(500);
				if (answer.status() == 429) {
					refused = answer;
				}
			}
			assertThat(refused).as("%s has no limit: %d calls by one user were all served", route, ATTEMPTS)
				.isNotNull();
			assertThat(refused.header("Retry-After")).as("%s", route).isNotNull();
			assertThat(refused.json().path("retry_after_seconds").asLong())
				.isEqualTo(Long.parseLong(refused.header("Retry-After")))
				.isPositive();
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		}
	}

	@Test
	void aReconnectionCountsAsASyncRequest() {
		Http http = new Http(this.port);
		String token = http.demoToken("limits-sync-" + UUID.randomUUID());
		assertThat(http.send("POST", "/api/portfolio/force-sync", token, null).status()).isEqualTo(200);
		Http.Answer reconnected = http.send("POST", "/api/plaid/items/item-that-does-not-exist/reconnected", token,
				null);
		assertThat(reconnected.status()).as(reconnected.body()).isEqualTo(429);
		assertThat(reconnected.json().path("error").asString()).isEqualTo("too_many_force_syncs");
	}

}
