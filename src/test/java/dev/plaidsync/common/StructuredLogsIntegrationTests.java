package dev.plaidsync.common;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.plaidsync.testsupport.EngineProcess;
import dev.plaidsync.testsupport.SimulatorControl;
import dev.plaidsync.testsupport.TestDatabase;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An engine started as production starts it, with {@code PLAIDSYNC_LOG_FORMAT=ecs}, in a
 * child JVM whose console the test reads: demo users are linked and synced (real runs
 * against the simulator), the simulator sends a signed HOLDINGS webhook for one item and
 * a second item needs its user's login, a user calls the API. Every line is one ECS JSON
 * object; the webhook's lines carry its event and item, the run's lines its execution,
 * each item's Plaid call and failure the item, its user and the execution, the user's
 * request the user; no line holds a token, a key or a secret.
 */
class StructuredLogsIntegrationTests {

	private static final String TOKEN_KEY = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	private static final JsonMapper JSON = JsonMapper.shared();

	/**
	 * plaid-java's {@code setPlaidAdapter} prints this to {@code System.out}, past any
	 * logger, for a base URL other than Plaid's own (here the simulator's); with Plaid's
	 * sandbox or production URL it prints nothing.
	 */
	private static final String PLAID_JAVA_PRINTLN = "baseUrl not found in PLAID_ENVS, must be one of the following: "
			+ "https://sandbox.plaid.com, https://production.plaid.com";

	private final HttpClient http = HttpClient.newHttpClient();

	@TempDir
	Path workDirectory;

	private EngineProcess engine;

	@AfterEach
	void stopEngine() {
		if (this.engine != null) {
			this.engine.close();
		}
	}

	@Test
	void everyLineIsEcsJsonWithTheIdsItConcernsAndNoSecret() throws Exception {
		String database = TestDatabase.newMigratedDatabaseUrl();
		JdbcClient db = JdbcClient.create(new DriverManagerDataSource(database, TestDatabase.username(), ""));
		String plaidSecret = "plaid-secret-" + UUID.randomUUID();
		Map<String, String> environment = EngineProcess.environmentOn(database, TOKEN_KEY,
				this.workDirectory.resolve("data"));
		environment.put("PLAIDSYNC_LOG_FORMAT", "ecs");
		environment.put("LOGGING_LEVEL_DEV_PLAIDSYNC", "debug");
		environment.put("PLAIDSYNC_DEMO_USERS", "2");
		environment.put("PLAID_CLIENT_ID", "log-test-client");
		environment.put("PLAID_SECRET", plaidSecret);
		environment.put("PLAIDSYNC_SIMULATOR_LATENCY", "0ms");
		environment.put("PLAIDSYNC_SIMULATOR_LATENCYJITTER", "0ms");
		environment.put("PLAIDSYNC_SIMULATOR_FIRSTTRANSACTIONSLATENCY", "0ms");
		this.engine = EngineProcess.start(this.workDirectory, environment).awaitHealthy(Duration.ofSeconds(120));

		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> db.sql("""
				SELECT (SELECT count(*) FROM demo_seeding WHERE completed_at IS NOT NULL) > 0
				   AND (SELECT count(*) FROM plaid_items WHERE holdings_synced_at IS NULL) = 0
				""").query(Boolean.class).single());
		List<Map<String, Object>> items = db
			.sql("SELECT item_id, CAST(user_id AS text) AS user_id FROM plaid_items ORDER BY item_id")
			.query()
			.listOfRows();
		String synced = (String) items.get(0).get("item_id");
		String syncedUser = (String) items.get(0).get("user_id");
		String failing = (String) items.get(1).get("item_id");
		String failingUser = (String) items.get(1).get("user_id");
		SimulatorControl simulator = new SimulatorControl(this.engine.baseUrl());
		simulator.requireLogin(failing);
		simulator.fireHoldingsUpdate(failing);
		simulator.fireHoldingsUpdate(synced);
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> db.sql("""
				SELECT count(*) FROM plaid_webhook_events e JOIN batch_job_execution x
				  ON x.job_execution_id = e.job_execution_id
				WHERE e.webhook_code = 'DEFAULT_UPDATE' AND x.status = 'COMPLETED'
				""").query(Long.class).single() == 2);
		Map<String, Object> webhook = db.sql("""
				SELECT CAST(id AS text) AS id, job_execution_id FROM plaid_webhook_events
				WHERE item_id = :item AND webhook_code = 'DEFAULT_UPDATE'
				""").param("item", synced).query().singleRow();
		String eventId = (String) webhook.get("id");
		String executionId = webhook.get("job_execution_id").toString();
		String failedExecution = db
			.sql("SELECT CAST(job_execution_id AS text) FROM sync_item_failures WHERE item_id = :item")
			.param("item", failing)
			.query(String.class)
			.single();

		String jwt = JSON.readTree(post("/demo/token", null, "{\"userId\":\"demo-user-1\"}").body())
			.path("token")
			.asString();
		String apiUser = db.sql("SELECT CAST(id AS text) FROM app_users WHERE auth_subject = 'demo-user-1'")
			.query(String.class)
			.single();
		HttpResponse<String> linkToken = post("/api/plaid/link-token", jwt, "{}");
		assertThat(linkToken.statusCode()).as(linkToken.body()).isEqualTo(200);
		assertThat(get("/api/portfolio", jwt).statusCode()).isEqualTo(200);
		assertThat(get("/ops/jobs", "child-ops-token").statusCode()).isEqualTo(200);

		List<JsonNode> lines = await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(200))
			.until(this::lines, (logged) -> logged.stream().anyMatch((line) -> isUserLinkTokenCall(line, apiUser)));
		assertThat(lines).allSatisfy((line) -> {
			assertThat(line.path("@timestamp").isString()).as(line.toString()).isTrue();
			assertThat(line.path("log").path("level").isString()).as(line.toString()).isTrue();
			assertThat(line.path("service").path("name").asString()).isEqualTo("plaid-sync");
		});

		assertThat(linesOf(lines, "WebhookIntakeController", eventId)).as("intake stored the event")
			.isNotEmpty()
			.allSatisfy((line) -> assertThat(ids(line)).containsEntry("webhook_event_id", eventId)
				.containsEntry("item_id", synced)
				.containsEntry("user_id", syncedUser));
		assertThat(linesOf(lines, "WebhookDispatcher", eventId)).as("dispatch launched its run")
			.isNotEmpty()
			.allSatisfy((line) -> assertThat(ids(line)).containsEntry("webhook_event_id", eventId)
				.containsEntry("item_id", synced)
				.containsEntry("user_id", syncedUser)
				.containsEntry("execution_id", executionId));
		List<JsonNode> runEnds = linesOf(lines, "SyncRunEndings", "holdingsSyncJob for ITEM:" + synced + " ended");
		assertThat(runEnds).as("the item's runs' ends, on their job threads")
			.allSatisfy((line) -> assertThat(ids(line)).containsKey("execution_id"));
		assertThat(runEnds).extracting((line) -> ids(line).get("execution_id")).contains(executionId);
		assertThat(lines).filteredOn((line) -> isUserLinkTokenCall(line, apiUser))
			.as("the user's request to the API")
			.isNotEmpty();

		String log = this.engine.log();
		assertThat(log).doesNotContain("access-sandbox-", "public-sandbox-", "link-sandbox-", plaidSecret, TOKEN_KEY,
				TOKEN_KEY.substring(3), "child-ops-token", jwt, "eyJ");
	}

	private static boolean isUserLinkTokenCall(JsonNode line, String userId) {
		return logger(line).endsWith("PlaidGateway")
				&& line.path("message").asString().startsWith("Plaid /link/token/create")
				&& userId.equals(ids(line).get("user_id"));
	}

	private static List<JsonNode> linesOf(List<JsonNode> lines, String logger, String mentioning) {
		return lines.stream()
			.filter((line) -> logger(line).endsWith("." + logger)
					&& line.path("message").asString().contains(mentioning))
			.toList();
	}

	private static String logger(JsonNode line) {
		return line.path("log").path("logger").asString();
	}

	/** The MDC's ids, which Boot's ECS format writes as top-level fields. */
	private static Map<String, String> ids(JsonNode line) {
		Map<String, String> ids = new java.util.HashMap<>();
		for (String key : List.of("item_id", "user_id", "execution_id", "webhook_event_id")) {
			if (line.has(key)) {
				ids.put(key, line.get(key).asString());
			}
		}
		return ids;
	}

	private List<JsonNode> lines() {
		List<JsonNode> parsed = new ArrayList<>();
		this.engine.log()
			.lines()
			.filter((line) -> !line.isBlank() && !line.equals(PLAID_JAVA_PRINTLN))
			.forEach((line) -> {
				assertThat(line).as("every console line is one JSON object").startsWith("{");
				parsed.add(JSON.readTree(line));
			});
		return parsed;
	}

	private HttpResponse<String> post(String path, String bearer, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.engine.baseUrl() + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path, String bearer) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.engine.baseUrl() + path))
			.header("Authorization", "Bearer " + bearer)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
