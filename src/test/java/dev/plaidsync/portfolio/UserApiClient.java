package dev.plaidsync.portfolio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Real HTTP to the engine's user API, as an app would call it. */
final class UserApiClient {

	private static final JsonMapper JSON = JsonMapper.shared();

	private final String base;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	UserApiClient(int port) {
		this.base = "http://localhost:" + port;
	}

	record Answer(int status, JsonNode body, HttpHeaders headers, String raw) {

		Answer expect(int expected) {
			assertThat(this.status).as("status, body %s", this.raw).isEqualTo(expected);
			return this;
		}

	}

	String demoToken(String userId) {
		Answer answer = send("POST", "/demo/token", null, JSON.writeValueAsString(Map.of("userId", userId)),
				"application/json");
		answer.expect(200);
		return answer.body().path("token").asString();
	}

	Answer get(String path, String token) {
		return send("GET", path, token, null, null);
	}

	Answer post(String path, String token, Object body) {
		return send("POST", path, token, (body == null) ? null : JSON.writeValueAsString(body), "application/json");
	}

	Answer postRaw(String path, String token, String body, String contentType) {
		return send("POST", path, token, body, contentType);
	}

	Answer delete(String path, String token) {
		return send("DELETE", path, token, null, null);
	}

	Answer send(String method, String path, String token, String body, String contentType) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(60));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		request.method(method,
				(body == null) ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			JsonNode json = response.body().isBlank() ? JSON.getNodeFactory().nullNode() : parse(response.body());
			return new Answer(response.statusCode(), json, response.headers(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static JsonNode parse(String body) {
		try {
			return JSON.readTree(body);
		}
		catch (RuntimeException notJson) {
			return JSON.getNodeFactory().textNode(body);
		}
	}

	/**
	 * Opens {@code GET /api/portfolio/stream}; its lines arrive in the returned queue.
	 */
	EventStream stream(String token) {
		return stream("/api/portfolio/stream", Map.of("Authorization", "Bearer " + token));
	}

	/**
	 * Opens the stream at {@code pathAndQuery} (a ticket, a {@code last_event_id}) with
	 * these headers; its lines arrive in the returned queue.
	 */
	EventStream stream(String pathAndQuery, Map<String, String> headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.base + pathAndQuery))
			.header("Accept", "text/event-stream");
		headers.forEach(builder::header);
		HttpRequest request = builder.build();
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		HttpResponse<Stream<String>> response;
		try {
			response = this.http.send(request, HttpResponse.BodyHandlers.ofLines());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		Thread reader = new Thread(() -> {
			try {
				response.body().forEach(lines::add);
			}
			catch (RuntimeException closed) {
				// the test closed the stream
			}
		}, "sse-test-reader");
		reader.setDaemon(true);
		reader.start();
		return new EventStream(response.statusCode(), lines, response);
	}

	record EventStream(int status, BlockingQueue<String> lines,
			HttpResponse<Stream<String>> response) implements AutoCloseable {

		@Override
		public void close() {
			this.response.body().close();
		}

	}

}
