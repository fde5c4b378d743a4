package dev.plaidsync.portfolio;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.testsupport.EngineIntegrationTest;
import dev.plaidsync.testsupport.RawHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: {@code /api} cannot be used to exhaust the engine. Per-user limits on link
 * tokens and public-token exchanges (429 with Retry-After, counted in PostgreSQL), a
 * per-node cap on live streams (503 with Retry-After), and bounded request bodies (413
 * with a message) on the user and operator APIs.
 */
@EngineIntegrationTest
@TestPropertySource(
		properties = { "plaidsync.api.limits.link-tokens.capacity=3", "plaidsync.api.limits.exchanges.capacity=2",
				"plaidsync.api.limits.max-streams=2", "plaidsync.api.limits.stream-retry-after=7s" })
class ApiLimitsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	UserApiClient api;

	@BeforeEach
	void setUp() {
		this.api = new UserApiClient(this.port);
	}

	@Test
	void aUserGetsTheirLinkTokensThenA429WithRetryAfterWhileAnotherUserIsUnaffected() {
		String token = this.api.demoToken("limited-" + UUID.randomUUID());
		for (int i = 0; i < 3; i++) {
			this.api.post("/api/plaid/link-token", token, null).expect(200);
		}
		UserApiClient.Answer refused = this.api.post("/api/plaid/link-token", token, null).expect(429);
		assertThat(refused.body().path("error").asString()).isEqualTo("too_many_requests");
		assertThat(refused.body().path("message").asString()).contains("link tokens");
		long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
		assertThat(retryAfter).isBetween(1L, 3600L);
		assertThat(this.jdbc.sql("SELECT count(*) FROM plaid_rate_buckets WHERE id LIKE 'link-token:%'")
			.query(Long.class)
			.single()).isPositive();

		String other = this.api.demoToken("unlimited-" + UUID.randomUUID());
		this.api.post("/api/plaid/link-token", other, null).expect(200);
	}

	@Test
	void publicTokenExchangesAreLimitedPerUserBeforePlaidIsAsked() {
		String token = this.api.demoToken("exchanging-" + UUID.randomUUID());
		for (int i = 0; i < 2; i++) {
			this.api.post("/api/plaid/items", token, Map.of("public_token", "public-sandbox-unknown-" + i)).expect(400);
		}
		UserApiClient.Answer refused = this.api
			.post("/api/plaid/items", token, Map.of("public_token", "public-sandbox-x"))
			.expect(429);
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		assertThat(refused.body().path("message").asString()).contains("public-token exchanges");
	}

	@Test
	void theNodeHoldsAtMostItsCapOfLiveStreams() {
		List<UserApiClient.EventStream> open = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				UserApiClient.EventStream stream = this.api
					.stream(this.api.demoToken("streaming-" + i + "-" + UUID.randomUUID()));
				assertThat(stream.status()).isEqualTo(200);
				open.add(stream);
			}
			UserApiClient.EventStream third = this.api.stream(this.api.demoToken("streaming-x-" + UUID.randomUUID()));
			open.add(third);
			assertThat(third.status()).isEqualTo(503);
			assertThat(third.response().headers().firstValue("Retry-After")).contains("7");
		}
		finally {
			open.forEach(UserApiClient.EventStream::close);
		}
	}

	@Test
	void oversizedBodiesAreRefusedWith413AndAMessage() {
		String token = this.api.demoToken("big-" + UUID.randomUUID());
		String big = "{\"public_token\":\"" + "x".repeat(40_000) + "\"}";
		UserApiClient.Answer user = this.api.postRaw("/api/plaid/items", token, big, "application/json").expect(413);
		assertThat(user.body().path("message").asString()).contains("larger than");

		RawHttp.Response operator = RawHttp.send(this.port, "POST", "/ops/webhook-url",
				Map.of("Authorization", "Bearer test-ops-token"), "{\"url\":\"https://" + "x".repeat(40_000) + "\"}");
		assertThat(operator.status()).isEqualTo(413);
		assertThat(operator.body()).contains("body_too_large", "larger than");
		RawHttp.Response anonymous = RawHttp.send(this.port, "POST", "/ops/webhook-url", Map.of(),
				"{\"url\":\"" + "x".repeat(40_000) + "\"}");
		assertThat(anonymous.status()).isEqualTo(401);
	}

}
