package dev.plaidsync.portfolio;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/openapi}, fetched over HTTP with no credential: it describes every
 * handler the engine maps under {@code /api} (as Spring MVC enumerates them, not a list
 * written here) with its methods, no {@code /ops} path, and the stream's events with the
 * payload the stream really sends.
 */
@EngineIntegrationTest
class UserApiDescriptionIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping handlerMapping;

	@Test
	void everyUserApiEndpointAndNoOperatorPathIsInThePublicDescription() {
		UserApiClient api = new UserApiClient(this.port);
		UserApiClient.Answer answer = api.get("/api/openapi", null).expect(200);
		assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
		JsonNode description = answer.body();
		assertThat(description.path("openapi").asString()).startsWith("3.");
		JsonNode paths = description.path("paths");

		List<String> endpoints = new ArrayList<>();
		for (Map.Entry<RequestMappingInfo, HandlerMethod> handler : this.handlerMapping.getHandlerMethods()
			.entrySet()) {
			Set<RequestMethod> methods = handler.getKey().getMethodsCondition().getMethods();
			for (String pattern : handler.getKey().getPatternValues()) {
				if (!pattern.startsWith("/api/") || !answersWithABody(handler.getValue())) {
					continue;
				}
				endpoints.add(pattern);
				assertThat(paths.has(pattern)).as("%s (%s) in the description", pattern, handler.getValue()).isTrue();
				for (RequestMethod method : methods) {
					assertThat(paths.path(pattern).has(method.name().toLowerCase(Locale.ROOT)))
						.as("%s %s (%s) in the description", method, pattern, handler.getValue())
						.isTrue();
				}
			}
		}
		assertThat(endpoints).as("the handlers under /api")
			.hasSizeGreaterThan(15)
			.contains("/api/portfolio", "/api/plaid/items/{itemId}", "/api/portfolio/investment-transactions",
					"/api/openapi");
		List<String> described = new ArrayList<>();
		paths.propertyNames().forEach(described::add);
		assertThat(described).as("paths described").allMatch((path) -> path.startsWith("/api/"));
		assertThat(description.toString()).as("nothing of the operators' API").doesNotContain("/ops");

		JsonNode schemas = description.path("components").path("schemas");
		assertThat(schemas.has("TransactionFeedPage")).isTrue();
		assertThat(schemas.path("TransactionFeedPage").path("properties").has("next_cursor")).isTrue();
	}

	@Test
	void theStreamsEventsAreDescribedWithThePayloadTheStreamSends() throws Exception {
		UserApiClient api = new UserApiClient(this.port);
		JsonNode description = api.get("/api/openapi", null).expect(200).body();
		JsonNode events = description.path(UserApiDescription.STREAM_EVENTS);
		assertThat(new TreeSet<>(events.propertyNames())).containsExactly("connected", PortfolioStreams.EVENT);
		JsonNode schemas = description.path("components").path("schemas");
		Set<String> described = new TreeSet<>();
		for (JsonNode event : events) {
			String reference = event.path("$ref").asString();
			JsonNode schema = schemas.path(reference.substring(reference.lastIndexOf('/') + 1));
			assertThat(schema.path("properties").isEmpty()).as(reference).isFalse();
			described.addAll(schema.path("properties").propertyNames());
		}

		String token = api.demoToken("openapi-stream-" + UUID.randomUUID());
		try (UserApiClient.EventStream stream = api.stream(token)) {
			assertThat(stream.status()).isEqualTo(200);
			String data = null;
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (data == null && System.nanoTime() < deadline) {
				String line = stream.lines().poll(500, TimeUnit.MILLISECONDS);
				if (line != null && line.startsWith("data:")) {
					data = line.substring("data:".length());
				}
			}
			assertThat(data).as("the connected event's data").isNotNull();
			JsonNode sent = JsonMapper.shared().readTree(data);
			assertThat(new TreeSet<>(sent.propertyNames())).as("the payload's members are the schema's")
				.isEqualTo(described);
		}
	}

	@Test
	void theDescriptionNeedsNoTokenAndTakesNoParameters() {
		UserApiClient api = new UserApiClient(this.port);
		api.get("/api/openapi", null).expect(200);
		assertThat(api.get("/api/openapi?group=ops", null).expect(400).body().path("error").asString())
			.isEqualTo("unknown_parameter");
		api.get("/api/openapi/ops", null).expect(401);
		api.send("POST", "/api/openapi", null, "{}", "application/json").expect(401);
	}

	@Test
	void operatorsGetTheGroupUnderOpsAndAnUnknownGroupIsA404() {
		UserApiClient api = new UserApiClient(this.port);
		String ops = "test-ops-token";
		UserApiClient.Answer group = api.get("/ops/openapi/" + UserApiDescription.GROUP, ops).expect(200);
		assertThat(group.body().path("paths").has("/api/portfolio")).isTrue();
		UserApiClient.Answer unknown = api.get("/ops/openapi/no-such-group", ops).expect(404);
		assertThat(unknown.body().path("detail").asString()).contains("the groups are: " + UserApiDescription.GROUP);
		api.get("/ops/openapi/" + UserApiDescription.GROUP, null).expect(401);
	}

	private static boolean answersWithABody(HandlerMethod handler) {
		return AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), ResponseBody.class)
				|| handler.hasMethodAnnotation(ResponseBody.class);
	}

}
