package dev.plaidsync.operations;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.plaid.PlaidFailure;
import dev.plaidsync.plaid.PlaidGateway;
import dev.plaidsync.simulator.LinkedItem;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The operator API over real HTTP, in its own engine and database. */
@EngineIntegrationTest
@TestPropertySource(properties = { "plaid.budget.client-limits-per-minute.item_webhook_update=100000",
		"plaidsync.ops.recovery-interval=1h" })
class OperationsApiIntegrationTests {

	private static final String TOKEN = "test-ops-token";

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	Users users;

	@Autowired
	PlaidGateway plaid;

	RestClient http;

	UUID user;

	@BeforeEach
	void setUp() {
		this.http = RestClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
		this.user = this.users.idFor("ops-" + UUID.randomUUID());
	}

	@AfterEach
	void calmTheSimulator() {
		this.simulator.setErrorRates(0, 0, 0);
		this.simulator.setLatency(Duration.ZERO, Duration.ZERO);
	}

	@ParameterizedTest(name = "{0} {1}")
	@CsvSource({ "GET, /ops/jobs", "GET, /ops/executions", "GET, /ops/executions/1", "POST, /ops/executions/1/restart",
			"POST, /ops/executions/1/stop", "POST, /ops/executions/1/abandon", "POST, /ops/jobs/holdingsSyncJob/launch",
			"GET, /ops/webhooks/health", "GET, /ops/freshness", "GET, /ops/items/attention", "GET, /ops/items/retries",
			"POST, /ops/items/x/remove", "GET, /ops/webhooks/unknown-items",
			"POST, /ops/webhooks/events/00000000-0000-0000-0000-000000000000/replay", "POST, /ops/webhook-url",
			"GET, /ops/audit", "POST, /ops/token-reencrypt", "GET, /ops/items/unreadable-tokens",
			"GET, /ops/executions/1/outcomes", "GET, /ops/executions/1/items", "POST, /ops/executions/1/restart-failed",
			"GET, /ops/search?q=ins_1", "GET, /ops/items/x/timeline", "GET, /ops/users/x", "GET, /ops/schedules" })
	void everyOperatorPathRefusesAMissingOrWrongToken(String method, String path) {
		for (String authorization : new String[] { null, "Bearer wrong-token", "Basic dGVzdA==" }) {
			RestClient.RequestBodySpec request = this.http.method(org.springframework.http.HttpMethod.valueOf(method))
				.uri(path)
				.contentType(MediaType.APPLICATION_JSON);
			if (authorization != null) {
				request.header("Authorization", authorization);
			}
			ResponseEntity<String> answer = request.body("{}").retrieve().toEntity(String.class);
			assertThat(answer.getStatusCode().value()).as("%s %s with %s", method, path, authorization).isEqualTo(401);
			assertThat(answer.getBody()).contains("\"error\"").doesNotContain("Exception");
		}
		ResponseEntity<String> authorized = this.http.method(org.springframework.http.HttpMethod.valueOf(method))
			.uri(path)
			.header("Authorization", "Bearer " + TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{}")
			.retrieve()
			.toEntity(String.class);
		assertThat(authorized.getStatusCode().value()).as("%s %s with the token", method, path)
			.isNotEqualTo(401)
			.isLessThan(500);
	}

	@Test
	void aFailedExecutionIsRestartedThroughTheApiAndCompletesWhileRestartingACompletedOneIsRefusedWithTheRealReason() {
		TestItems.create(this.context, this.user, 25, "ins_900001", "ops-fail-" + this.user);
		// One institution down no longer fails a run (its items are retried); Plaid
		// failing for everyone does.
		this.simulator.setErrorRates(0, 1.0, 0);
		Map<String, Object> launched = post("/ops/jobs/holdingsSyncJob/launch",
				"{\"scope\":\"USER\",\"userId\":\"" + this.user + "\"}", 200);
		long failed = ((Number) launched.get("jobExecutionId")).longValue();
		awaitStatus(failed, "FAILED");
		Map<String, Object> detail = get("/ops/executions/" + failed);
		assertThat((String) detail.get("reason")).contains("items failed", "INTERNAL_SERVER_ERROR");
		assertThat((List<?>) detail.get("failedItems")).hasSizeGreaterThanOrEqualTo(20);
		this.simulator.setErrorRates(0, 0, 0);

		Map<String, Object> restarted = post("/ops/executions/" + failed + "/restart", "", 200);
		long restart = ((Number) restarted.get("restartedAs")).longValue();
		awaitStatus(restart, "COMPLETED");
		assertThat(this.jdbc
			.sql("SELECT count(*) FROM plaid_items WHERE user_id = :user AND holdings_synced_at IS NOT NULL")
			.param("user", this.user)
			.query(Long.class)
			.single()).isEqualTo(25);

		Map<String, Object> refused = post("/ops/executions/" + restart + "/restart", "", 409);
		assertThat((String) refused.get("message")).containsIgnoringCase("complete");
		assertThat(auditActions()).contains("launch", "restart");
	}

	@Test
	void aRunningExecutionStopsAtAChunkBoundaryAndCanThenBeAbandonedButACompletedOneCannotBeStopped() {
		TestItems.create(this.context, this.user, 3, "ins_900002", "ops-stop-" + this.user);
		this.simulator.setLatency(Duration.ofSeconds(3), Duration.ZERO);
		long running = ((Number) post("/ops/jobs/holdingsSyncJob/launch",
				"{\"scope\":\"USER\",\"userId\":\"" + this.user + "\"}", 200)
			.get("jobExecutionId")).longValue();
		awaitStatus(running, "STARTED");

		post("/ops/executions/" + running + "/stop", "", 200);
		awaitStatus(running, "STOPPED");
		assertThat(post("/ops/executions/" + running + "/abandon", "", 200)).containsEntry("status", "ABANDONED");
		assertThat((String) post("/ops/executions/" + running + "/stop", "", 409).get("message")).contains("ABANDONED");
		assertThat(auditActions()).contains("stop", "abandon");
	}

	@Test
	void removingAnItemEndsItAtPlaidAndDeletesItsData() {
		String item = TestItems.create(this.context, this.user, 1, "ins_900001", "ops-remove-" + this.user).get(0);
		String accessToken = this.simulator.item(item).accessToken();

		assertThat(post("/ops/items/" + item + "/remove", "", 200)).containsEntry("status", "REMOVED");

		assertThatThrownBy(
				() -> this.plaid.holdings(new dev.plaidsync.plaid.ItemAccess(item, "ins_900001", accessToken),
						dev.plaidsync.plaid.CallPriority.INTERACTIVE))
			.isInstanceOfSatisfying(PlaidFailure.class,
					(failure) -> assertThat(failure.errorCode()).isEqualTo("ITEM_NOT_FOUND"));
		assertThat(post("/ops/items/" + item + "/remove", "", 404)).containsEntry("error", "not_found");
		assertThat(auditActions()).contains("remove item");
	}

	@Test
	void replayProcessesAStoredWebhookEventAgain() {
		LinkedItem item = this.simulator.createItem("ins_900001", "ops-replay-" + this.user,
				"http://localhost:" + this.port + "/webhook/plaid");
		TestItems.insert(this.context, this.user, item.itemId(), item.accessToken(), "ins_900001");
		this.simulator.fireHoldingsUpdate(item.itemId());
		UUID original = await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.sql("SELECT id FROM plaid_webhook_events WHERE item_id = :item AND status = 'DONE'")
				.param("item", item.itemId())
				.query(UUID.class)
				.optional(), java.util.Optional::isPresent)
			.get();

		Map<String, Object> replay = post("/ops/webhooks/events/" + original + "/replay", "", 200);

		UUID copy = UUID.fromString((String) replay.get("replayEventId"));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> "DONE".equals(this.jdbc.sql("SELECT status FROM plaid_webhook_events WHERE id = :id")
				.param("id", copy)
				.query(String.class)
				.single()));
		assertThat(this.jdbc.sql("SELECT job_execution_id FROM plaid_webhook_events WHERE id = :id")
			.param("id", copy)
			.query(Long.class)
			.optional()).as("the replay launched a sync").isPresent();
		assertThat(post("/ops/webhooks/events/" + UUID.randomUUID() + "/replay", "", 404)).containsEntry("error",
				"not_found");
		assertThat(auditActions()).contains("replay webhook");
	}

	@Test
	void theWebhookUrlJobUpdatesEveryActiveItemAtPlaid() {
		List<String> items = TestItems.create(this.context, this.user, 4, "ins_900003", "ops-url-" + this.user);
		String newUrl = "http://localhost:" + this.port + "/webhook/plaid?moved=" + UUID.randomUUID();

		long execution = ((Number) post("/ops/webhook-url", "{\"url\":\"" + newUrl + "\"}", 200).get("jobExecutionId"))
			.longValue();

		awaitStatus(execution, "COMPLETED");
		items.forEach((item) -> assertThat(this.simulator.item(item).webhookUrl()).isEqualTo(newUrl));
		assertThat(this.jdbc.sql("SELECT count(*) FROM plaid_items WHERE webhook_url = :url")
			.param("url", newUrl)
			.query(Long.class)
			.single()).isGreaterThanOrEqualTo(items.size());
		assertThat(post("/ops/webhook-url", "{\"url\":\"ftp://nope\"}", 400)).containsEntry("error", "bad_request");
		assertThat(auditActions()).contains("update webhook url");
	}

	@Test
	void monitoringPathsAnswerWithTheirData() {
		TestItems.create(this.context, this.user, 1, "ins_900001", "ops-monitor-" + this.user);
		this.jdbc.sql(
				"UPDATE plaid_items SET status = 'NEEDS_USER', status_reason = 'ITEM_LOGIN_REQUIRED' WHERE user_id = :user")
			.param("user", this.user)
			.update();

		assertThat(getList("/ops/jobs")).extracting((job) -> job.get("name"))
			.contains("holdingsSyncJob", "transactionsSyncJob", "balancesSyncJob", "webhookUrlUpdateJob");
		assertThat(getList("/ops/items/attention"))
			.anyMatch((item) -> "ITEM_LOGIN_REQUIRED".equals(item.get("status_reason")));
		assertThat(get("/ops/freshness")).containsKeys("thresholds", "stale");
		assertThat(getList("/ops/webhooks/health")).isNotNull();
		assertThat(getList("/ops/executions?status=COMPLETED&limit=5")).hasSizeLessThanOrEqualTo(5);
		assertThat(get("/ops/executions?status=DONE_BADLY")).containsEntry("error", "bad_request");
		assertThat(get("/ops/executions/999999999")).containsEntry("error", "not_found");
		assertThat(post("/ops/jobs/holdingsSyncJob/launch", "{\"scope\":\"USER\",\"userId\":\"not-a-uuid\"}", 400))
			.containsKey("message");
		assertThat(post("/ops/jobs/noSuchJob/launch", "{\"scope\":\"ALL\"}", 404)).containsEntry("error", "not_found");
		assertThat(post("/ops/jobs/holdingsSyncJob/launch", "{not json", 400)).containsEntry("error", "malformed_json");
	}

	private List<String> auditActions() {
		return getList("/ops/audit").stream().map((entry) -> (String) entry.get("action")).toList();
	}

	private void awaitStatus(long execution, String status) {
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> status.equals(get("/ops/executions/" + execution).get("status")));
	}

	private Map<String, Object> get(String path) {
		return this.http.get()
			.uri(path)
			.header("Authorization", "Bearer " + TOKEN)
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			});
	}

	private List<Map<String, Object>> getList(String path) {
		return this.http.get()
			.uri(path)
			.header("Authorization", "Bearer " + TOKEN)
			.retrieve()
			.body(new ParameterizedTypeReference<List<Map<String, Object>>>() {
			});
	}

	private Map<String, Object> post(String path, String body, int expectedStatus) {
		ResponseEntity<Map<String, Object>> answer = this.http.post()
			.uri(path)
			.header("Authorization", "Bearer " + TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.toEntity(new ParameterizedTypeReference<Map<String, Object>>() {
			});
		assertThat(answer.getStatusCode().value()).as("POST %s answered %s", path, answer.getBody())
			.isEqualTo(expectedStatus);
		return answer.getBody();
	}

}
