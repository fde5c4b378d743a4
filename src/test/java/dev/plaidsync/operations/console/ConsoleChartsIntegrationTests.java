package dev.plaidsync.operations.console;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's chart data and its page over real HTTP: per hour, last 24 hours, behind
 * the operator token.
 */
@EngineIntegrationTest
class ConsoleChartsIntegrationTests {

	private static final String TOKEN = "test-ops-token";

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Users users;

	RestClient http;

	@BeforeEach
	void setUp() {
		this.http = RestClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/ops/charts/webhooks-per-hour", "/ops/charts/items-synced-per-hour" })
	void chartsRefuseAMissingOrWrongToken(String path) {
		assertThat(this.http.get().uri(path).retrieve().toEntity(String.class).getStatusCode().value()).isEqualTo(401);
		ResponseEntity<String> wrong = this.http.get()
			.uri(path)
			.header("Authorization", "Bearer wrong-token")
			.retrieve()
			.toEntity(String.class);
		assertThat(wrong.getStatusCode().value()).isEqualTo(401);
		assertThat(wrong.getBody()).contains("invalid_token");
		assertThat(hours(path)).hasSize(24);
	}

	@Test
	void theConsolePageAndItsAssetsLoadWithoutTheTokenButNothingElseUnderOpsDoes() {
		for (String path : new String[] { "/ops/", "/ops/index.html", "/ops/console.js", "/ops/console.css" }) {
			ResponseEntity<String> answer = this.http.get().uri(path).retrieve().toEntity(String.class);
			assertThat(answer.getStatusCode().value()).as(path).isEqualTo(200);
		}
		assertThat(this.http.get().uri("/ops/").retrieve().toEntity(String.class).getBody())
			.contains("name=\"viewport\"", "console.js");
		assertThat(this.http.get().uri("/ops").retrieve().toEntity(String.class).getStatusCode().value())
			.isEqualTo(302);
		assertThat(this.http.get().uri("/ops/console.js.map").retrieve().toEntity(String.class).getStatusCode().value())
			.isEqualTo(401);
	}

	@Test
	void webhooksPerHourCountEachEventInTheHourItArrivedByItsStatus() {
		Instant twoHoursAgo = this.jdbc.sql("SELECT date_trunc('hour', now() - interval '2 hours')")
			.query(OffsetDateTime.class)
			.single()
			.toInstant();
		Map<String, Object> before = hour(hours("/ops/charts/webhooks-per-hour"), twoHoursAgo);
		String item = "console-chart-" + UUID.randomUUID();
		for (String status : new String[] { "DONE", "DONE", "FAILED", "IGNORED", "UNKNOWN_ITEM", "RECEIVED",
				"LAUNCHED" }) {
			this.jdbc
				.sql("""
						INSERT INTO plaid_webhook_events (webhook_type, webhook_code, item_id, status, created_at, verification, body_sha256)
						VALUES ('HOLDINGS', 'DEFAULT_UPDATE', :item, :status, date_trunc('hour', now() - interval '2 hours') + interval '90 seconds',
						        'VERIFIED', md5(random()::text))
						""")
				.param("item", item)
				.param("status", status)
				.update();
		}
		this.jdbc
			.sql("""
					INSERT INTO plaid_webhook_events (webhook_type, webhook_code, item_id, status, created_at, verification, body_sha256)
					VALUES ('HOLDINGS', 'DEFAULT_UPDATE', :item, 'DONE', now() - interval '25 hours', 'VERIFIED', 'old')
					""")
			.param("item", item)
			.update();

		List<Map<String, Object>> rows = hours("/ops/charts/webhooks-per-hour");

		assertThat(rows).hasSize(24);
		Map<String, Object> after = hour(rows, twoHoursAgo);
		assertThat(increase(before, after, "done")).isEqualTo(2);
		assertThat(increase(before, after, "failed")).isEqualTo(1);
		assertThat(increase(before, after, "ignored")).isEqualTo(1);
		assertThat(increase(before, after, "unknownItem")).isEqualTo(1);
		assertThat(increase(before, after, "inProgress")).isEqualTo(2);
		assertThat(Instant.parse(instant(rows.get(23))))
			.isAfter(Instant.parse(instant(rows.get(0))).plus(Duration.ofHours(22)));
	}

	@Test
	void itemsSyncedPerHourCountWhatASyncStoredButNotTheItemsThatFailed() {
		UUID user = this.users.idFor("console-chart-" + UUID.randomUUID());
		TestItems.create(this.context, user, 3, "ins_900001", "console-chart-" + user);
		long before = lastTwoHours("holdings");

		long execution = ((Number) post("/ops/jobs/holdingsSyncJob/launch",
				"{\"scope\":\"USER\",\"userId\":\"" + user + "\"}")
			.get("jobExecutionId")).longValue();
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> "COMPLETED".equals(get("/ops/executions/" + execution).get("status")));

		long synced = lastTwoHours("holdings");
		assertThat(synced - before).isGreaterThanOrEqualTo(3);
		this.jdbc.sql(
				"INSERT INTO sync_item_failures (job_execution_id, job_name, item_id, failure_kind) VALUES (:id, 'holdingsSyncJob', 'x', 'ITEM')")
			.param("id", execution)
			.update();
		assertThat(synced - lastTwoHours("holdings")).as("an item that failed is not one synced").isEqualTo(1);
	}

	private long lastTwoHours(String product) {
		List<Map<String, Object>> rows = hours("/ops/charts/items-synced-per-hour");
		return rows.subList(rows.size() - 2, rows.size())
			.stream()
			.mapToLong((row) -> ((Number) row.get(product)).longValue())
			.sum();
	}

	private static Map<String, Object> hour(List<Map<String, Object>> rows, Instant hour) {
		return rows.stream().filter((row) -> Instant.parse(instant(row)).equals(hour)).findFirst().orElseThrow();
	}

	private static String instant(Map<String, Object> row) {
		return OffsetDateTime.parse((String) row.get("hour")).toInstant().toString();
	}

	private static long increase(Map<String, Object> before, Map<String, Object> after, String key) {
		return ((Number) after.get(key)).longValue() - ((Number) before.get(key)).longValue();
	}

	private List<Map<String, Object>> hours(String path) {
		return this.http.get()
			.uri(path)
			.header("Authorization", "Bearer " + TOKEN)
			.retrieve()
			.body(new ParameterizedTypeReference<List<Map<String, Object>>>() {
			});
	}

	private Map<String, Object> get(String path) {
		return this.http.get()
			.uri(path)
			.header("Authorization", "Bearer " + TOKEN)
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			});
	}

	private Map<String, Object> post(String path, String body) {
		return this.http.post()
			.uri(path)
			.header("Authorization", "Bearer " + TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			});
	}

}
