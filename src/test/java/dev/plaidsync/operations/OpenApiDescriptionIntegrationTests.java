package dev.plaidsync.operations;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 * The OpenAPI description at {@code /ops/openapi} lists every handler the engine maps
 * under {@code /api} and {@code /ops} that answers with a body (all but the console's
 * page), with its HTTP methods, as Spring MVC itself enumerates them; it is for operators
 * only, and springdoc's default path is not served.
 */
@EngineIntegrationTest
class OpenApiDescriptionIntegrationTests {

	private static final String TOKEN = "test-ops-token";

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping handlerMapping;

	@Test
	void everyApiAndOperatorEndpointIsInTheDescription() throws Exception {
		HttpResponse<String> answer = get("/ops/openapi", Map.of("Authorization", "Bearer " + TOKEN));
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		JsonNode paths = JsonMapper.builder().build().readTree(answer.body()).path("paths");

		List<String> endpoints = new ArrayList<>();
		for (Map.Entry<RequestMappingInfo, HandlerMethod> handler : this.handlerMapping.getHandlerMethods()
			.entrySet()) {
			Set<RequestMethod> methods = handler.getKey().getMethodsCondition().getMethods();
			for (String pattern : handler.getKey().getPatternValues()) {
				if (!pattern.startsWith("/api/") && !pattern.startsWith("/ops/")
						|| !answersWithABody(handler.getValue())
						|| handler.getValue().getBeanType().getPackageName().startsWith("org.springdoc")) {
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
		assertThat(endpoints).as("the handlers under /api and /ops")
			.hasSizeGreaterThan(30)
			.contains("/api/portfolio", "/ops/executions", "/ops/jobs/{name}/launch");
	}

	/**
	 * Every answer under {@code /api} and {@code /ops} is described by its fields: no
	 * response schema, nor the items of a list answer, is a free-form object (a map whose
	 * values may be anything), as a {@code Map<String, Object>} answer would be.
	 */
	@Test
	void everyAnswerHasItsFieldsInTheDescription() throws Exception {
		HttpResponse<String> answer = get("/ops/openapi", Map.of("Authorization", "Bearer " + TOKEN));
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		JsonNode description = JsonMapper.builder().build().readTree(answer.body());
		JsonNode schemas = description.path("components").path("schemas");
		List<String> freeForm = new ArrayList<>();
		int described = 0;
		for (Map.Entry<String, JsonNode> path : description.path("paths").properties()) {
			if (!path.getKey().startsWith("/api/") && !path.getKey().startsWith("/ops/")) {
				continue;
			}
			for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
				for (Map.Entry<String, JsonNode> response : operation.getValue().path("responses").properties()) {
					for (Map.Entry<String, JsonNode> content : response.getValue().path("content").properties()) {
						JsonNode schema = resolve(schemas, content.getValue().path("schema"));
						if ("array".equals(schema.path("type").asString(""))) {
							schema = resolve(schemas, schema.path("items"));
						}
						described++;
						if (isFreeForm(schema)) {
							freeForm.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + " "
									+ response.getKey() + ": " + schema);
						}
					}
				}
			}
		}
		assertThat(described).as("response schemas under /api and /ops").isGreaterThan(30);
		assertThat(freeForm).as("answers described as free-form objects").isEmpty();
	}

	@Test
	void theDescriptionIsForOperatorsOnly() throws Exception {
		assertThat(get("/ops/openapi", Map.of()).statusCode()).isEqualTo(401);
		assertThat(get("/ops/openapi", Map.of("Authorization", "Bearer wrong")).statusCode()).isEqualTo(401);
		assertThat(get("/v3/api-docs", Map.of()).statusCode()).isEqualTo(404);
		assertThat(get("/v3/api-docs", Map.of("Authorization", "Bearer " + TOKEN)).statusCode()).isEqualTo(404);
		assertThat(get("/swagger-ui/index.html", Map.of()).statusCode()).isEqualTo(404);
	}

	private static JsonNode resolve(JsonNode schemas, JsonNode schema) {
		String reference = schema.path("$ref").asString("");
		return reference.isEmpty() ? schema : schemas.path(reference.substring(reference.lastIndexOf('/') + 1));
	}

	/**
	 * An object without properties whose other fields may be anything:
	 * {@code additionalProperties} absent, true, or an empty or untyped object schema.
	 */
	private static boolean isFreeForm(JsonNode schema) {
		if (schema.has("properties") || schema.has("allOf") || schema.has("oneOf") || schema.has("anyOf")
				|| !(schema.path("type").isMissingNode() || "object".equals(schema.path("type").asString("")))) {
			return false;
		}
		JsonNode values = schema.path("additionalProperties");
		return values.isMissingNode() || values.isBoolean() && values.asBoolean()
				|| values.isObject() && (values.isEmpty() || "object".equals(values.path("type").asString(""))
						&& !values.has("properties") && !values.has("$ref") && !values.has("additionalProperties"));
	}

	/** A REST handler, not the console's page (a view). */
	private static boolean answersWithABody(HandlerMethod handler) {
		return AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), ResponseBody.class)
				|| handler.hasMethodAnnotation(ResponseBody.class);
	}

	private HttpResponse<String> get(String path, Map<String, String> headers)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).GET();
		headers.forEach(request::header);
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
