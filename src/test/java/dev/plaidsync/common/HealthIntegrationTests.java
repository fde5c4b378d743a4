package dev.plaidsync.common;

import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

@EngineIntegrationTest
class HealthIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void healthIsUpAndReportsTheDatabaseOverHttp() {
		String health = RestClient.create("http://localhost:" + this.port).get().uri("/actuator/health").retrieve().body(String.class);

		assertThat(health).contains("\"status\":\"UP\"").contains("\"db\"").contains("PostgreSQL");
	}

}
