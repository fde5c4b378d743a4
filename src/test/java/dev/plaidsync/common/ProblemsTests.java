package dev.plaidsync.common;

import java.net.URI;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemsTests {

	private final ProblemResponses responses = new ProblemResponses(JsonMapper.builder().build());

	@Test
	void aProblemIsRfc9457WithTodaysFieldsAndDetailsFlatBesideIt() {
		ProblemDetail problem = Problems.retryLater(HttpStatus.TOO_MANY_REQUESTS, "too_many_force_syncs",
				"Try again in 42 s.", 42);
		problem.setInstance(URI.create("/api/portfolio/force-sync"));
		JsonNode json = JsonMapper.shared().readTree(this.responses.bytes(problem));
		assertThat(json.path("type").asString()).isEqualTo("urn:plaidsync:problem:too_many_force_syncs");
		assertThat(json.path("title").asString()).isEqualTo("Too Many Requests");
		assertThat(json.path("status").asInt()).isEqualTo(429);
		assertThat(json.path("detail").asString()).isEqualTo("Try again in 42 s.");
		assertThat(json.path("instance").asString()).isEqualTo("/api/portfolio/force-sync");
		assertThat(json.path("error").asString()).isEqualTo("too_many_force_syncs");
		assertThat(json.path("message").asString()).isEqualTo("Try again in 42 s.");
		assertThat(json.path("retry_after_seconds").asLong()).isEqualTo(42);
		assertThat(json.has("properties")).as("extension members are flat, not nested").isFalse();
		assertThat(Problems.answer(problem).getHeaders().getFirst("Retry-After")).isEqualTo("42");
	}

	@Test
	void aMessageWithQuotesAndControlCharactersIsStillValidJson() {
		ProblemDetail problem = Problems.problem(HttpStatus.UNAUTHORIZED, "invalid_token", "bad \"token\"\n\u0000");
		JsonNode json = JsonMapper.shared().readTree(this.responses.bytes(problem));
		assertThat(json.path("message").asString()).isEqualTo("bad \"token\"\n\u0000");
	}

}
