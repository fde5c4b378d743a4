package dev.plaidsync.operations;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.items.ItemStatusChanges;
import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.AfterEach;
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
 * The operator's drill-down over real HTTP against the shared engine: an execution's
 * items by outcome with Plaid's codes and the restart of only its failed items; search by
 * item, user and institution; an item's timeline and a user's items; and bad input
 * answered with a precise 4xx.
 */
@EngineIntegrationTest
class OpsDrillDownApiTests {

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
	ItemStatusChanges itemStatus;

	@AfterEach
	void calmTheSimulator() {
		this.simulator.setErrorRates(0, 0, 0);
	}

	@Test
	void anExecutionShowsEachItemsOutcomeAndRestartsOnlyTheFailedItemsThatARunCanHelp() {
		UUID user = this.users.idFor("drill-" + UUID.randomUUID());
		List<String> items = TestItems.create(this.context, user, 3, "ins_109508", "drill-" + user);
		this.simulator.setErrorRates(0, 1.0, 0);
		long execution = launchForUser(user);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> Boolean.FALSE.equals(get("/ops/executions/" + execution + "/outcomes", 200).get("running")));

		Map<String, Object> outcomes = get("/ops/executions/" + execution + "/outcomes", 200);
		assertThat(outcomes).containsEntry("jobName", "holdingsSyncJob").containsEntry("status", "COMPLETED");
		assertThat((Map<String, Object>) outcomes.get("counts")).containsEntry("written", 0)
			.containsEntry("failed", 3)
			.containsEntry("skipped", 0)
			.containsEntry("writtenListed", true);
		assertThat((List<Map<String, Object>>) outcomes.get("byErrorCode")).singleElement()
			.satisfies((code) -> assertThat(code).containsEntry("errorCode", "INTERNAL_SERVER_ERROR")
				.containsEntry("items", 3));
		assertThat((String) outcomes.get("startTime")).matches(".*T.*([+-]\\d\\d:\\d\\d|Z)$");
		assertThat(outcomes.get("durationSeconds")).isNotNull();

		List<Map<String, Object>> listed = getList("/ops/executions/" + execution + "/items?outcome=failed");
		assertThat(listed)
			.extracting((item) -> item.get("itemId") + " " + item.get("outcome") + " " + item.get("errorCode"))
			.containsExactlyInAnyOrder(items.get(0) + " FAILED INTERNAL_SERVER_ERROR",
					items.get(1) + " FAILED INTERNAL_SERVER_ERROR", items.get(2) + " FAILED INTERNAL_SERVER_ERROR");
		assertThat(listed.get(0)).containsEntry("institutionName", "Test institution");
		assertThat(getList("/ops/executions/" + execution + "/items?outcome=written")).isEmpty();
		assertThat(get("/ops/executions/" + execution + "/items?outcome=lost", 400).get("message").toString())
			.contains("outcome must be one of WRITTEN, FAILED, SKIPPED, RETRYING");

		this.simulator.setErrorRates(0, 0, 0);
		String needsUser = items.get(0);
		this.itemStatus.needsUser(needsUser, "ITEM_LOGIN_REQUIRED", "the user changed their password");
		Map<String, Object> relaunched = post("/ops/executions/" + execution + "/restart-failed", 200);
		assertThat((List<Map<String, Object>>) relaunched.get("launched")).extracting((item) -> item.get("itemId"))
			.containsExactlyInAnyOrder(items.get(1), items.get(2));
		assertThat((List<Map<String, Object>>) relaunched.get("notLaunched")).singleElement()
			.satisfies((left) -> assertThat(left).containsEntry("itemId", needsUser)
				.containsEntry("itemStatus", "NEEDS_USER"));
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.jdbc
				.sql("SELECT count(*) FROM plaid_items WHERE item_id IN (:items) AND holdings_synced_at IS NOT NULL")
				.param("items", items.subList(1, 3))
				.query(Long.class)
				.single() == 2);
		assertThat(getList("/ops/audit"))
			.anySatisfy((entry) -> assertThat(entry).containsEntry("action", "restart-failed")
				.containsEntry("target", "execution " + execution)
				.containsEntry("result", "OK"));

		for (String path : List.of("/ops/executions/987654321/outcomes", "/ops/executions/987654321/items")) {
			assertThat(get(path, 404)).containsEntry("error", "not_found");
		}
		assertThat(post("/ops/executions/987654321/restart-failed", 404)).containsEntry("error", "not_found");
	}

	@Test
	void anOperatorFindsAnItemByAnyOfItsKeysAndReadsItsTimelineAndItsUsersItemsWithoutAnAccessToken() {
		UUID user = this.users.idFor("find-" + UUID.randomUUID());
		List<String> items = TestItems.create(this.context, user, 2, "ins_109508", "find-" + user);
		String needsLogin = items.get(0);
		this.simulator.requireLogin(needsLogin);
		long execution = launchForUser(user);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> Boolean.FALSE.equals(get("/ops/executions/" + execution + "/outcomes", 200).get("running")));

		assertThat(getList("/ops/executions/" + execution + "/items"))
			.extracting((item) -> item.get("itemId") + " " + item.get("outcome") + " " + item.get("errorCode"))
			.containsExactly(needsLogin + " FAILED ITEM_LOGIN_REQUIRED", items.get(1) + " WRITTEN null");

		ResponseEntity<String> raw = http().get()
			.uri("/ops/search?q={q}", needsLogin)
			.header("Authorization", "Bearer " + TOKEN)
			.retrieve()
			.toEntity(String.class);
		assertThat(raw.getBody()).contains(needsLogin)
			.doesNotContainIgnoringCase("access")
			.doesNotContain("ciphertext");
		assertThat(raw.getHeaders().getFirst("X-Total-Count")).isEqualTo("1");
		assertThat(getList("/ops/search?q=" + user))
			.extracting((item) -> item.get("itemId") + " " + item.get("matchedBy"))
			.containsExactlyInAnyOrder(items.get(0) + " user_id", items.get(1) + " user_id");
		assertThat(getList("/ops/search?q=" + user.toString().substring(0, 13) + "&size=500"))
			.extracting((item) -> item.get("itemId"))
			.contains(items.get(0), items.get(1));
		assertThat(getList("/ops/search?q=ins_1095&size=500")).extracting((item) -> item.get("matchedBy"))
			.contains("institution_id");
		assertThat(getList("/ops/search?q=TEST%20INST&size=1")).singleElement()
			.satisfies((item) -> assertThat(item).containsEntry("matchedBy", "institution_name"));
		assertThat(getList("/ops/search?q=%25%25")).as("% is a character, not a wildcard").isEmpty();
		assertThat(get("/ops/search?q=%20", 400).get("message").toString()).contains("q is required");
		assertThat(get("/ops/search", 400).get("message").toString()).contains("q is required");
		assertThat(get("/ops/search?q=" + "x".repeat(101), 400).get("message").toString())
			.contains("at most 100 characters");

		Map<String, Object> timeline = get("/ops/items/" + needsLogin + "/timeline", 200);
		assertThat((Map<String, Object>) timeline.get("item")).containsEntry("status", "NEEDS_USER");
		assertThat((String) timeline.get("userAdvice")).contains("/api/plaid/items/" + needsLogin + "/link-token",
				"/api/plaid/items/" + needsLogin + "/reconnected");
		List<Map<String, Object>> entries = (List<Map<String, Object>>) timeline.get("entries");
		assertThat(entries).extracting((entry) -> entry.get("kind") + " " + entry.get("outcome"))
			.contains("FAILURE ITEM_LOGIN_REQUIRED", "STATUS NEEDS_USER", "RUN ITEM_LOGIN_REQUIRED", "STATUS ACTIVE");
		assertThat(entries).filteredOn((entry) -> "STATUS".equals(entry.get("kind")))
			.first()
			.satisfies((change) -> assertThat(change).containsEntry("title", "ACTIVE → NEEDS_USER"));
		assertThat(get("/ops/items/" + items.get(1) + "/timeline", 200).get("userAdvice")).isNull();
		assertThat(get("/ops/items/no-such-item/timeline", 404)).containsEntry("error", "not_found");
		assertThat(get("/ops/items/" + needsLogin + "/timeline?page=5&size=500", 400).get("message").toString())
			.contains("1000 entries at most");

		Map<String, Object> owner = get("/ops/users/" + user, 200);
		assertThat((List<Map<String, Object>>) owner.get("items")).extracting((item) -> item.get("itemId"))
			.containsExactly(items.get(0), items.get(1));
		assertThat(((List<Map<String, Object>>) owner.get("items")).get(1).get("holdingsSyncedAt")).isNotNull();
		assertThat(get("/ops/users/not-a-uuid", 400).get("message").toString())
			.contains("userId must be a user's uuid");
		assertThat(get("/ops/users/" + UUID.randomUUID(), 404)).containsEntry("error", "not_found");
	}

	private long launchForUser(UUID user) {
		ResponseEntity<Map<String, Object>> launched = http().post()
			.uri("/ops/jobs/holdingsSyncJob/launch")
			.header("Authorization", "Bearer " + TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"scope\":\"USER\",\"userId\":\"" + user + "\"}")
			.retrieve()
			.toEntity(new ParameterizedTypeReference<Map<String, Object>>() {
			});
		assertThat(launched.getBody()).containsEntry("status", "STARTED");
		return ((Number) launched.getBody().get("jobExecutionId")).longValue();
	}

	private RestClient http() {
		return RestClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	private Map<String, Object> get(String path, int expectedStatus) {
		ResponseEntity<Map<String, Object>> answer = http().get()
			.uri(java.net.URI.create("http://localhost:" + this.port + path))
			.header("Authorization", "Bearer " + TOKEN)
			.retrieve()
			.toEntity(new ParameterizedTypeReference<Map<String, Object>>() {
			});
		assertThat(answer.getStatusCode().value()).as("GET %s answered %s", path, answer.getBody())
			.isEqualTo(expectedStatus);
		return answer.getBody();
	}

	private List<Map<String, Object>> getList(String path) {
		ResponseEntity<List<Map<String, Object>>> answer = http().get()
			.uri(java.net.URI.create("http://localhost:" + this.port + path))
			.header("Authorization", "Bearer " + TOKEN)
			.retrieve()
			.toEntity(new ParameterizedTypeReference<List<Map<String, Object>>>() {
			});
		assertThat(answer.getStatusCode().value()).as("GET %s", path).isEqualTo(200);
		return answer.getBody();
	}

	private Map<String, Object> post(String path, int expectedStatus) {
		ResponseEntity<Map<String, Object>> answer = http().post()
			.uri(path)
			.header("Authorization", "Bearer " + TOKEN)
			.retrieve()
			.toEntity(new ParameterizedTypeReference<Map<String, Object>>() {
			});
		assertThat(answer.getStatusCode().value()).as("POST %s answered %s", path, answer.getBody())
			.isEqualTo(expectedStatus);
		return answer.getBody();
	}

}
