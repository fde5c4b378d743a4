package dev.plaidsync.webhooks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts webhook bodies to an engine over real HTTP, as Plaid would, and reads its JSON
 * answers.
 */
final class WebhookPoster {

	private static final JsonMapper JSON = JsonMapper.shared();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String baseUrl;

	WebhookPoster(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	record Answer(int status, JsonNode body, Duration took) {

		String error() {
			return this.body.path("error").asString();
		}

	}

	Answer post(byte[] body, String verification) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + "/webhook/plaid"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (verification != null) {
			request.header("plaid-verification", verification);
		}
		return send(request);
	}

	/** Chunked, with no Content-Length. */
	Answer postStreamed(byte[] body, String verification) {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + "/webhook/plaid"))
			.header("Content-Type", "application/json")
			.header("Plaid-Verification", verification)
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
	}

	Answer health() {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + "/webhook/plaid/health")).GET());
	}

	private Answer send(HttpRequest.Builder request) {
		long started = System.nanoTime();
		try {
			HttpResponse<String> response = this.http.send(request.timeout(Duration.ofSeconds(15)).build(),
					HttpResponse.BodyHandlers.ofString());
			JsonNode json = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
			return new Answer(response.statusCode(), json, Duration.ofNanos(System.nanoTime() - started));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A body as Plaid writes it: keys in the given order, 2-space indentation. */
	static byte[] plaidBody(Object... keyValues) {
		Map<String, Object> fields = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			fields.put((String) keyValues[i], keyValues[i + 1]);
		}
		StringBuilder text = new StringBuilder("{\n");
		int n = 0;
		for (Map.Entry<String, Object> field : fields.entrySet()) {
			text.append("  ")
				.append(JSON.writeValueAsString(field.getKey()))
				.append(": ")
				.append(JSON.writeValueAsString(field.getValue()));
			text.append(++n < fields.size() ? ",\n" : "\n");
		}
		return text.append("}").toString().getBytes(StandardCharsets.UTF_8);
	}

}
