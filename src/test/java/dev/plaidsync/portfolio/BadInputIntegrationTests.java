package dev.plaidsync.portfolio;

import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import javax.crypto.spec.SecretKeySpec;

import dev.plaidsync.items.Users;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

@EngineIntegrationTest
class BadInputIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	UserTokens userTokens;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Users users;

	@Test
	void badInputGetsAPreciseClientErrorAndChangesNothing() {
		UserApiClient api = new UserApiClient(this.port);
		String subject = "bad-" + UUID.randomUUID();
		String token = api.demoToken(subject);
		UUID userId = this.users.idFor(subject);
		long exchangesBefore = count("SELECT count(*) FROM plaid_public_token_exchanges");

		assertError(api.postRaw("/api/plaid/items", token, "{\"public_token\": ", "application/json"), 400,
				"malformed_json");
		assertError(api.postRaw("/api/plaid/items", token, "[1, 2]", "application/json"), 400, "malformed_json");
		assertError(api.postRaw("/api/plaid/items", token, "public_token=x", "application/x-www-form-urlencoded"), 415,
				"unsupported_media_type");
		assertError(api.post("/api/plaid/items", token, Map.of("public_token", "")), 400, "invalid_public_token");
		assertError(api.post("/api/plaid/items", token, Map.of("public_token", "public-sandbox-" + UUID.randomUUID())),
				400, "invalid_public_token");
		assertError(api.postRaw("/api/plaid/items", token, "{\"public_token\": \"" + "x".repeat(20_000) + "\"}",
				"application/json"), 413, "body_too_large");
		assertError(api.post("/api/plaid/items/item-that-does-not-exist/link-token", token, null), 404,
				"item_not_found");
		assertError(api.post("/api/plaid/items/item-that-does-not-exist/reconnected", token, null), 404,
				"item_not_found");
		assertError(api.delete("/api/plaid/items/item-that-does-not-exist", token), 404, "item_not_found");
		assertError(api.get("/api/portfolio/transactions?start_date=2025-03-01&end_date=2025-01-01", token), 400,
				"invalid_date_range");
		assertError(api.get("/api/portfolio/transactions?start_date=2020-01-01&end_date=2025-01-01", token), 400,
				"invalid_date_range");
		assertError(api.get("/api/portfolio/transactions?start_date=yesterday", token), 400, "invalid_parameter");
		assertError(api.get("/api/portfolio/transactions?size=0", token), 400, "invalid_page");
		assertError(api.get("/api/portfolio/transactions?account_id=nope", token), 404, "account_not_found");
		assertThat(
				api.send("PUT", "/api/plaid/items", token, null, null).expect(405).headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));

		assertThat(count("SELECT count(*) FROM plaid_items WHERE user_id = '" + userId + "'")).isZero();
		assertThat(count("SELECT count(*) FROM plaid_public_token_exchanges")).isEqualTo(exchangesBefore);
		assertThat(api.get("/api/plaid/items", token).expect(200).body().path("items")).isEmpty();
	}

	@Test
	void missingExpiredForgedAndWronglySignedTokensAre401WithAJsonBody() {
		UserApiClient api = new UserApiClient(this.port);
		String subject = "tokens-" + UUID.randomUUID();
		String valid = api.demoToken(subject);
		api.get("/api/plaid/items", valid).expect(200);

		Instant now = Instant.now();
		String expired = this.userTokens.demoToken(subject, now.minusSeconds(7200), now.minusSeconds(3600))
			.orElseThrow();
		String[] parts = valid.split("\\.");
		String otherSubject = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(
					new String(Base64.getUrlDecoder().decode(parts[1])).replace(subject, "someone-else").getBytes());
		String forged = parts[0] + "." + otherSubject + "." + parts[2];
		String wrongKey = this.userTokens.sign(subject, now, now.plusSeconds(3600),
				new SecretKeySpec("a-different-key-of-at-least-32-bytes!!".getBytes(), "HmacSHA256"));
		String unsigned = parts[0].replace(parts[0],
				Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())) + "."
				+ parts[1] + ".";

		assertError(api.get("/api/plaid/items", null), 401, "missing_token");
		for (String bad : new String[] { expired, forged, wrongKey, unsigned, "not-a-jwt" }) {
			UserApiClient.Answer answer = api.get("/api/portfolio", bad);
			assertError(answer, 401, "invalid_token");
			assertThat(answer.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((value) -> assertThat(value).startsWith("Bearer"));
		}
		assertError(api.post("/api/portfolio/force-sync", forged, null), 401, "invalid_token");
		String nulSubject = this.userTokens.demoToken("nul\u0000" + subject, now, now.plusSeconds(3600)).orElseThrow();
		UserApiClient.Answer nul = api.get("/api/plaid/items", nulSubject);
		assertError(nul, 401, "invalid_token");
		assertThat(nul.body().path("message").asString()).contains("sub claim");
		assertThat(count("SELECT count(*) FROM app_users WHERE auth_subject = 'someone-else'")).isZero();
	}

	private static void assertError(UserApiClient.Answer answer, int status, String error) {
		answer.expect(status);
		assertThat(answer.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(answer.body().path("error").asString()).as(answer.raw()).isEqualTo(error);
		assertThat(answer.body().path("message").asString()).isNotBlank()
			.doesNotContain("Exception")
			.doesNotContain("\tat ");
	}

	private long count(String sql) {
		return this.jdbc.sql(sql).query(Long.class).single();
	}

}
