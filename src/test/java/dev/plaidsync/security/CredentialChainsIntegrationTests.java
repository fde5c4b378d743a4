package dev.plaidsync.security;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 26.1: each credential works on its own chain only. The operator token, a valid
 * user JWT and a wrong token of the operator token's shape are sent to every route of the
 * other chains (from the engine's own route list): each is a 401 problem whose message
 * names the credential that chain expects. On the user API the right and the wrong
 * operator token get byte-identical answers in the same time.
 */
@EngineIntegrationTest
class CredentialChainsIntegrationTests {

	/** application-test.yml's {@code plaidsync.ops.token}. */
	private static final String OPERATOR_TOKEN = "test-ops-token";

	private static final String WRONG_OPERATOR_TOKEN = "test-ops-tokem";

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mapping;

	@Test
	void theOperatorTokenIsRefusedOnTheUserApiExactlyAsAWrongTokenOfItsShape() {
		Http http = new Http(this.port);
		List<EngineRoutes.Route> routes = EngineRoutes.of(this.mapping).under("/api");
		assertThat(routes).hasSizeGreaterThan(8);
		for (EngineRoutes.Route route : routes) {
			String path = route.path(Map.of());
			Http.Answer right = http.send(route.method(), path, OPERATOR_TOKEN, null);
			Http.Answer wrong = http.send(route.method(), path, WRONG_OPERATOR_TOKEN, null);
			assertThat(right.status()).as("%s with the operator token: %s", route, right.body()).isEqualTo(401);
			assertThat(right.body()).as("%s", route).isEqualTo(wrong.body());
			assertThat(right.header("Content-Type")).startsWith("application/problem+json");
			assertThat(right.json().path("error").asString()).isEqualTo("invalid_token");
			assertThat(right.json().path("message").asString()).contains("user JWT")
				.doesNotContainIgnoringCase("operator");
		}
	}

	@Test
	void aUserJwtIsRefusedOnTheOperatorsChainAndNoCredentialOpensTheWebhookIntake() {
		Http http = new Http(this.port);
		String userJwt = http.demoToken("chains-" + UUID.randomUUID());
		List<EngineRoutes.Route> routes = EngineRoutes.of(this.mapping)
			.under("/ops")
			.stream()
			.filter((route) -> !route.pattern().equals("/ops") && !route.pattern().equals("/ops/"))
			.toList();
		assertThat(routes).hasSizeGreaterThan(15);
		for (EngineRoutes.Route route : routes) {
			for (String token : List.of(userJwt, WRONG_OPERATOR_TOKEN)) {
				Http.Answer answer = http.send(route.method(), route.path(Map.of("id", "1")), token, null);
				assertThat(answer.status()).as("%s: %s", route, answer.body()).isEqualTo(401);
				assertThat(answer.json().path("error").asString()).isEqualTo("invalid_token");
				assertThat(answer.json().path("message").asString()).contains("PLAIDSYNC_OPS_TOKEN")
					.doesNotContain("JWT");
			}
		}
		for (String token : List.of(OPERATOR_TOKEN, userJwt, WRONG_OPERATOR_TOKEN)) {
			Http.Answer answer = http.send("POST", "/webhook/plaid", token, "{}".getBytes());
			assertThat(answer.status()).as(answer.body()).isEqualTo(401);
			assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
		}
		assertThat(http.send("GET", "/api/plaid/items", userJwt, null).status()).isEqualTo(200);
		assertThat(http.send("GET", "/ops/jobs", OPERATOR_TOKEN, null).status()).isEqualTo(200);
	}

	/**
	 * Medians of 50 alternating requests each. Both tokens take the same path (the JWT
	 * decoder refuses a string with no dots before any key is used), so their medians
	 * differ only by noise: on this loaded 2-core machine a few milliseconds at most.
	 * Before the fix the right token went on to a controller and a 500 (tens of ms more).
	 * The tolerance, 5 ms or half the larger median, is wide enough for noise and narrow
	 * enough for that.
	 */
	@Test
	void theRightAndTheWrongOperatorTokenTakeTheSameTimeOnTheUserApi() {
		Http http = new Http(this.port);
		for (int i = 0; i < 20; i++) {
			http.send("GET", "/api/portfolio", OPERATOR_TOKEN, null);
			http.send("GET", "/api/portfolio", WRONG_OPERATOR_TOKEN, null);
		}
		List<Long> right = new ArrayList<>();
		List<Long> wrong = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			right.add(timed(http, OPERATOR_TOKEN));
			wrong.add(timed(http, WRONG_OPERATOR_TOKEN));
		}
		long rightMedian = median(right);
		long wrongMedian = median(wrong);
		long tolerance = Math.max(5_000_000L, Math.max(rightMedian, wrongMedian) / 2);
		LoggerFactory.getLogger(CredentialChainsIntegrationTests.class)
			.info("GET /api/portfolio, 50 each: median {} us with the operator token, {} us with a wrong one",
					rightMedian / 1000, wrongMedian / 1000);
		assertThat(Math.abs(rightMedian - wrongMedian))
			.as("medians: right %d us, wrong %d us", rightMedian / 1000, wrongMedian / 1000)
			.isLessThan(tolerance);
	}

	private static long timed(Http http, String token) {
		long started = System.nanoTime();
		Http.Answer answer = http.send("GET", "/api/portfolio", token, null);
		long elapsed = System.nanoTime() - started;
		assertThat(answer.status()).isEqualTo(401);
		return elapsed;
	}

	private static long median(List<Long> values) {
		List<Long> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(sorted.size() / 2);
	}

}
