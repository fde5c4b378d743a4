package dev.plaidsync.common;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP: the management port's health names the database and the job runtime
 * with their details, for Prometheus' scrape and the platform's checks; the application
 * port's probes say only UP or DOWN.
 */
@EngineIntegrationTest
class HealthIntegrationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Value("${local.management.port}")
	int managementPort;

	@Test
	void theManagementPortsHealthShowsTheDatabaseAndTheJobRuntime() {
		HttpResponse<String> response = get(this.managementPort, "/actuator/health");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode health = JsonMapper.shared().readTree(response.body());

		assertThat(health.path("status").asString()).isEqualTo("UP");
		JsonNode database = health.path("components").path("db");
		assertThat(database.path("status").asString()).as(response.body()).isEqualTo("UP");
		assertThat(database.path("details").path("database").asString()).isEqualTo("PostgreSQL");
		JsonNode jobRuntime = health.path("components").path("jobRuntime");
		assertThat(jobRuntime.path("status").asString()).as(response.body()).isEqualTo("UP");
		assertThat(jobRuntime.path("details").path("heartbeatAgeSeconds").asLong(-1))
			.as("seconds since this node's heartbeat, fresh well within orphan-after")
			.isBetween(0L, jobRuntime.path("details").path("orphanAfterSeconds").asLong() - 1);
		assertThat(jobRuntime.path("details").path("strandedHere").asLong(-1)).isZero();
		assertThat(jobRuntime.path("details").has("orphanedByDeadNodes")).isTrue();
	}

	@Test
	void theApplicationPortsProbesAreStatusOnly() {
		for (String probe : new String[] { "/livez", "/readyz" }) {
			HttpResponse<String> response = get(this.port, probe);
			assertThat(response.statusCode()).as(probe).isEqualTo(200);
			assertThat(response.body()).as(probe).isEqualTo("{\"status\":\"UP\"}");
		}
		HttpResponse<String> readiness = get(this.managementPort, "/actuator/health/readiness");
		assertThat(readiness.body()).as("the probe group on the management port too").isEqualTo("{\"status\":\"UP\"}");
		assertThat(get(this.port, "/actuator/health").statusCode()).as("no actuator on the application port")
			.isBetween(400, 499);
	}

	private HttpResponse<String> get(int port, String path) {
		try {
			return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
