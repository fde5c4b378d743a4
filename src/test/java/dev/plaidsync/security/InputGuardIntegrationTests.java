package dev.plaidsync.security;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 26.2's eleven 500s, each now a 400 problem ({@code invalid_input}) that names the
 * field: NUL in a query parameter or a JSON string, dates and instants out of
 * 1900-01-01..2200-12-31, identifiers over 128 characters, and invalid UTF-8. A value
 * inside the bounds still passes.
 */
@EngineIntegrationTest
class InputGuardIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void hostileValuesOnTheUserApiAre400sNamingTheField() {
		Http http = new Http(this.port);
		String token = http.demoToken("guard-" + UUID.randomUUID());
		assertRefused(http.send("GET", "/api/portfolio/transactions?account_id=%00", token, null), "account_id",
				"U+0000");
		assertRefused(http.send("GET", "/api/portfolio/transactions?end_date=-999999999-01-01", token, null),
				"end_date", "1900-01-01 and 2200-12-31");
		assertRefused(http.send("GET", "/api/portfolio/history?from=%2B5874898-01-01", token, null), "from",
				"1900-01-01 and 2200-12-31");
		assertRefused(http.send("GET", "/api/portfolio/transactions?account_id=" + "a".repeat(129), token, null),
				"account_id", "at most 128");
		assertRefused(http.send("GET", "/api/portfolio/transactions?account_id=%C3%28", token, null), "account_id",
				"UTF-8");
		assertRefused(http.send("DELETE", "/api/plaid/items/item%01x", token, null), "path segment", "U+0001");
		assertRefused(
				http.send("POST", "/api/plaid/items", token,
						"{\"public_token\":\"public-\\u0000\"}".getBytes(StandardCharsets.UTF_8)),
				"public_token", "U+0000");
		assertThat(
				http.send("GET", "/api/portfolio/transactions?start_date=2025-01-01&end_date=2025-02-01", token, null)
					.status())
			.isEqualTo(200);
	}

	@Test
	void hostileValuesOnTheOperatorsApiAre400sNamingTheField() {
		Http http = new Http(this.port);
		String operator = "test-ops-token";
		assertRefused(http.send("GET", "/ops/executions?job=%00", operator, null), "job", "U+0000");
		assertRefused(http.send("GET", "/ops/executions?from=%2B999999999-12-31T00:00:00Z", operator, null), "from",
				"1900-01-01 and 2200-12-31");
		assertRefused(
				http.send("POST", "/ops/jobs/holdingsSyncJob/launch", operator,
						"{\"scope\":\"item\",\"itemId\":\"\\u0000\"}".getBytes(StandardCharsets.UTF_8)),
				"itemId", "U+0000");
		assertRefused(http.send("POST", "/ops/jobs/holdingsSyncJob/launch", operator,
				("{\"scope\":\"item\",\"itemId\":\"" + "i".repeat(129) + "\"}").getBytes(StandardCharsets.UTF_8)),
				"itemId", "at most 128");
		assertThat(http.send("GET", "/ops/executions?from=2025-01-01T00:00:00Z", operator, null).status())
			.isEqualTo(200);
	}

	private static void assertRefused(Http.Answer answer, String field, String reason) {
		assertThat(answer.status()).as(answer.body()).isEqualTo(400);
		assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
		assertThat(answer.json().path("error").asString()).isEqualTo("invalid_input");
		assertThat(answer.json().path("detail").asString()).contains(field)
			.contains(reason)
			.isEqualTo(answer.json().path("message").asString());
		assertThat(answer.json().path("status").asInt()).isEqualTo(400);
		assertThat(answer.json().path("type").asString()).isEqualTo("urn:plaidsync:problem:invalid_input");
		assertThat(answer.json().path("title").asString()).isEqualTo("Bad Request");
		assertThat(answer.json().path("instance").asString()).startsWith("/");
	}

}
