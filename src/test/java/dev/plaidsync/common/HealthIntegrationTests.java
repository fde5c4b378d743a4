package dev.plaidsync.common;

import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

@EngineIntegrationTest
class HealthIntegrationTests {

	@LocalServerPort
	int port;

	@Value("${local.management.port}")
	int managementPort;

	@Test
	void anonymousHealthIsUpAndSaysNothingElseOverHttp() {
		String health = RestClient.create("http://localhost:" + this.managementPort)
			.get()
			.uri("/actuator/health")
			.retrieve()
			.body(String.class);
		assertThat(health).contains("\"status\":\"UP\"")
			.doesNotContain("PostgreSQL")
			.doesNotContain("components")
			.doesNotContain("details")
			.doesNotContain("version");
		String readiness = RestClient.create("http://localhost:" + this.port)
			.get()
			.uri("/readyz")
			.retrieve()
			.body(String.class);
		assertThat(readiness).isEqualTo("{\"status\":\"UP\"}");
	}

}
