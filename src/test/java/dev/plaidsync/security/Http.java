package dev.plaidsync.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP to the engine, with a bearer token or none, and raw bodies. */
final class Http {

	static final JsonMapper JSON = JsonMapper.shared();

	private final String base;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	Http(int port) {
		this.base = "http://localhost:" + port;
	}

	record Answer(int status, String body, HttpResponse<String> response) {

		JsonNode json() {
			try {
				return JSON.readTree(this.body);
			}
			catch (RuntimeException notJson) {
				return JSON.getNodeFactory().missingNode();
			}
		}

		String header(String name) {
			return this.response.headers().firstValue(name).orElse(null);
		}

	}

	Answer send(String method, String pathAndQuery, String token, byte[] jsonBody) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + pathAndQuery))
			.timeout(Duration.ofSeconds(30));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (jsonBody != null) {
			request.header("Content-Type", "application/json");
		}
		request.method(method, (jsonBody == null) ? HttpRequest.BodyPublishers.noBody()
				: HttpRequest.BodyPublishers.ofByteArray(jsonBody));
		try {
			HttpResponse<String> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.body(), response);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	String demoToken(String subject) {
		Answer answer = send("POST", "/demo/token", null, JSON.writeValueAsBytes(java.util.Map.of("userId", subject)));
		if (answer.status() != 200) {
			throw new IllegalStateException("no demo token: " + answer.body());
		}
		return answer.json().path("token").asString();
	}

}
