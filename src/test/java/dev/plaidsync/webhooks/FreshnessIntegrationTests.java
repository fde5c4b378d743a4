package dev.plaidsync.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.plaidsync.items.ItemLinking;
import dev.plaidsync.items.Users;
import dev.plaidsync.plaid.PlaidGateway;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.sync.LaunchOutcome;
import dev.plaidsync.sync.RequestOutcome;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncRequests;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.plaidsync.webhooks.WebhookPoster.plaidBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14's rules, one test each, through webhooks the simulator signs, posted over real
 * HTTP: every webhook is followed by a fetch that starts after it; a merged request keeps
 * the widest ask; outcomes are true, with passing failures retried and permanent ones
 * stopped. Each asserts Plaid's call counts (the simulator's) and event rows.
 * Interactive-over-sweep priority is shown through the launcher and its run-ended
 * contract, since every webhook is interactive.
 */
@EngineIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FreshnessIntegrationTests {

	private static final String HOLDINGS = "/investments/holdings/get";

	private static final String TRANSACTIONS = "/investments/transactions/get";

	@LocalServerPort
	int port;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	PlaidGateway gateway;

	@Autowired
	ItemLinking linking;

	@Autowired
	Users users;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	SyncLauncher launcher;

	@Autowired
	SyncRequests requests;

	WebhookPoster poster;

	@BeforeAll
	void poster() {
		this.poster = new WebhookPoster("http://localhost:" + this.port);
	}

	@AfterEach
	void calmSimulator() {
		this.simulator.setErrorRates(0, 0, 0);
		this.simulator.setLatency(Duration.ZERO, Duration.ZERO);
	}

	@Test
	void anEqualBodyAfterThePreviousRunStartedIsFollowedByItsOwnFetch() {
		String itemId = link("equal-body");
		byte[] quietDay = holdingsBody(itemId);
		long callsBefore = calls(HOLDINGS, itemId);

		UUID first = post(quietDay);
		Map<String, Object> firstRow = awaitEnded(first);
		UUID second = post(quietDay);
		Map<String, Object> secondRow = awaitEnded(second);

		assertThat(firstRow).containsEntry("status", "DONE").containsEntry("success", true);
		assertThat(secondRow).containsEntry("status", "DONE").containsEntry("success", true);
		assertThat(secondRow.get("status_reason").toString()).doesNotContain("duplicate");
		assertThat(secondRow.get("job_execution_id")).isNotNull().isNotEqualTo(firstRow.get("job_execution_id"));
		assertThat(calls(HOLDINGS, itemId)).isEqualTo(callsBefore + 2);
		assertThat(fetchStartedAfterTheEvent(second, "holdings_synced_at")).isTrue();
	}

	@Test
	void aFullWindowJoiningAPendingRoutineRequestUpgradesIt() {
		String itemId = link("widest-ask");
		this.simulator.setLatency(Duration.ofSeconds(3), Duration.ZERO);
		UUID running = post(transactionsBody(itemId, "DEFAULT_UPDATE", 0));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> "LAUNCHED".equals(row(running).get("status")) && row(running).get("job_execution_id") != null);
		long callsBefore = calls(TRANSACTIONS, itemId);

		UUID routine = post(transactionsBody(itemId, "DEFAULT_UPDATE", 0));
		await().atMost(Duration.ofSeconds(20)).until(() -> "LAUNCHED".equals(row(routine).get("status")));
		UUID historical = post(transactionsBody(itemId, "HISTORICAL_UPDATE", 0));
		await().atMost(Duration.ofSeconds(20)).until(() -> "LAUNCHED".equals(row(historical).get("status")));
		this.simulator.setLatency(Duration.ZERO, Duration.ZERO);

		Map<String, Object> routineRow = awaitEnded(routine);
		Map<String, Object> historicalRow = awaitEnded(historical);
		assertThat(awaitEnded(running)).containsEntry("status", "DONE");
		assertThat(routineRow).containsEntry("status", "DONE").containsEntry("success", true);
		assertThat(historicalRow).containsEntry("status", "DONE").containsEntry("success", true);
		assertThat(historicalRow.get("job_execution_id")).isEqualTo(routineRow.get("job_execution_id"))
			.isNotEqualTo(row(running).get("job_execution_id"));
		assertThat(parameter((Long) historicalRow.get("job_execution_id"), "window")).isEqualTo("FULL");
		assertThat(parameter((Long) historicalRow.get("job_execution_id"), "priority")).isEqualTo("INTERACTIVE");
		assertThat(calls(TRANSACTIONS, itemId)).as("the running run's fetch and one merged run's")
			.isGreaterThan(callsBefore);
		assertThat(this.jdbc
			.sql("""
					SELECT count(DISTINCT job_execution_id) FROM plaid_webhook_events WHERE item_id = :itemId
					AND webhook_type = 'INVESTMENTS_TRANSACTIONS' AND created_at >= (SELECT created_at FROM plaid_webhook_events WHERE id = :id)
					""")
			.param("itemId", itemId)
			.param("id", running)
			.query(Long.class)
			.single()).isEqualTo(2);
	}

	@Test
	void aJoinedSweepRequestTakesTheInteractivePriorityAndSkipsNothingAndItsEndIsHeard() throws Exception {
		String itemId = link("priority");
		UUID userId = this.jdbc.sql("SELECT user_id FROM plaid_items WHERE item_id = :id")
			.param("id", itemId)
			.query(UUID.class)
			.single();
		SyncScope scope = SyncScope.user(userId);
		long callsBefore = calls(HOLDINGS, itemId);
		this.simulator.setLatency(Duration.ofSeconds(3), Duration.ZERO);
		LaunchOutcome running = this.launcher.request(SyncJob.HOLDINGS, scope, "priority-running",
				SyncOptions.interactive());
		LaunchOutcome sweep = this.launcher.request(SyncJob.HOLDINGS, scope, "priority-sweep",
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, Duration.ofHours(20)));
		LaunchOutcome user = this.launcher.request(SyncJob.HOLDINGS, scope, "priority-user",
				SyncOptions.interactive(SyncOptions.TransactionsWindow.FULL));
		assertThat(running.status()).isEqualTo(LaunchOutcome.Status.STARTED);
		assertThat(sweep.status()).isEqualTo(LaunchOutcome.Status.QUEUED_AFTER_RUNNING);
		assertThat(user.status()).isEqualTo(LaunchOutcome.Status.JOINED_PENDING);
		assertThat(this.jdbc
			.sql("""
					SELECT parameters::text FROM sync_requests WHERE scope_key = :scope AND state = 'PENDING' AND job_name = 'holdingsSyncJob'
					""")
			.param("scope", scope.key())
			.query(String.class)
			.single()).contains("\"priority\": \"INTERACTIVE\"", "\"window\": \"FULL\"",
					"\"skipSyncedWithinSeconds\": null", "\"slot\": \"priority-sweep\"");
		this.simulator.setLatency(Duration.ZERO, Duration.ZERO);

		List<RequestOutcome> ended = this.requests.whenEnded(List.of(sweep.requestId(), user.requestId()))
			.get(60, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(ended).allSatisfy((outcome) -> assertThat(outcome.allWritten()).isTrue());
		assertThat(ended.get(0).jobExecutionId()).isEqualTo(ended.get(1).jobExecutionId())
			.isNotEqualTo(running.jobExecutionId());
		assertThat(parameter(ended.get(0).jobExecutionId(), "priority")).isEqualTo("INTERACTIVE");
		assertThat(calls(HOLDINGS, itemId)).as("the running run's fetch and the merged run's")
			.isEqualTo(callsBefore + 2);
	}

	@Test
	void anItemThatNeedsItsUserFailsTheEventWithPlaidsCodeAndIsNotRetried() {
		String itemId = link("needs-user");
		this.simulator.requireLogin(itemId);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> "NEEDS_USER".equals(this.jdbc.sql("SELECT status FROM plaid_items WHERE item_id = :id")
				.param("id", itemId)
				.query(String.class)
				.single()));
		long callsBefore = calls(HOLDINGS, itemId);

		UUID event = post(holdingsBody(itemId));
		Map<String, Object> row = awaitEnded(event);

		assertThat(row).containsEntry("status", "FAILED").containsEntry("success", false).containsEntry("retries", 0);
		assertThat(row.get("error_message").toString()).startsWith("ITEM_LOGIN_REQUIRED");
		assertThat(row.get("job_execution_id")).isNotNull();
		assertThat(calls(HOLDINGS, itemId)).isEqualTo(callsBefore + 1);
		await().during(Duration.ofSeconds(3))
			.atMost(Duration.ofSeconds(5))
			.until(() -> "FAILED".equals(row(event).get("status")) && calls(HOLDINGS, itemId) == callsBefore + 1);
	}

	@Test
	void anInstitutionOutageIsRetriedWithBackoffAndTheEventIsDoneOnlyOnceDataWasWritten() {
		String itemId = link("outage");
		this.simulator.setErrorRates(0, 0, 1.0);
		long callsBefore = calls(HOLDINGS, itemId);

		UUID event = post(holdingsBody(itemId));
		await().atMost(Duration.ofSeconds(30)).until(() -> ((Number) row(event).get("retries")).intValue() >= 1);
		Map<String, Object> waiting = row(event);
		assertThat(waiting).containsEntry("status", "RECEIVED");
		assertThat(waiting.get("success")).isNull();
		assertThat(waiting.get("error_message").toString()).startsWith("INSTITUTION_DOWN");
		assertThat(waiting.get("status_reason").toString()).startsWith("retry 1 of");
		assertThat(waiting.get("next_attempt_at")).isNotNull();
		long failedCalls = calls(HOLDINGS, itemId) - callsBefore;
		assertThat(failedCalls).isPositive();
		assertThat(opsGet("/ops/webhooks/retrying")).as("the console's list of webhooks waiting for a retry")
			.contains(event.toString())
			.contains("INSTITUTION_DOWN");

		this.simulator.setErrorRates(0, 0, 0);
		Map<String, Object> row = awaitEnded(event);
		assertThat(row).containsEntry("status", "DONE").containsEntry("success", true);
		assertThat(((Number) row.get("retries")).intValue()).isBetween(1, 2);
		assertThat(fetchStartedAfterTheEvent(event, "holdings_synced_at")).isTrue();
		assertThat(calls(HOLDINGS, itemId)).isGreaterThan(callsBefore + failedCalls);
	}

	@Test
	void aNewlyLinkedUserIsNotListedAsNeverHavingItsBalancesSyncedSinceHoldingsBroughtThem() {
		String itemId = link("balances-from-holdings");
		Map<String, Object> item = this.jdbc.sql("""
				SELECT user_id, holdings_synced_at, balances_synced_at FROM plaid_items WHERE item_id = :id
				""").param("id", itemId).query().singleRow();
		String userId = item.get("user_id").toString();

		List<String> neverSynced = new ArrayList<>();
		for (int page = 0;; page++) {
			JsonNode answer = JsonMapper.shared().readTree(opsGet("/ops/freshness?size=500&page=" + page));
			boolean neverOnThisPage = false;
			for (JsonNode stale : answer.path("stale")) {
				if (stale.path("last_sync").isNull()) {
					neverOnThisPage = true;
					if (userId.equals(stale.path("user_id").asString())) {
						neverSynced.add(stale.path("product").asString());
					}
				}
			}
			if (!neverOnThisPage || answer.path("stale").size() < 500) {
				break;
			}
		}
		assertThat(neverSynced).as("products /ops/freshness lists as never synced for user " + userId).isEmpty();
		assertThat(item.get("balances_synced_at")).as("the holdings response carried the accounts' balances")
			.isEqualTo(item.get("holdings_synced_at"));
	}

	// ---- helpers

	private String link(String name) {
		UUID userId = this.users.idFor("freshness-" + name + "-" + UUID.randomUUID());
		String publicToken = this.gateway.createSandboxPublicToken("ins_900001", "user_" + name).getPublicToken();
		String itemId = ((ItemLinking.Linked) this.linking.link(userId, publicToken)).item().itemId();
		await().atMost(Duration.ofSeconds(60)).until(() -> this.jdbc.sql("""
				SELECT holdings_synced_at IS NOT NULL AND transactions_synced_at IS NOT NULL
				    AND NOT EXISTS (SELECT 1 FROM sync_requests WHERE scope_key = 'ITEM:' || :id)
				FROM plaid_items WHERE item_id = :id
				""").param("id", itemId).query(Boolean.class).single());
		return itemId;
	}

	private UUID post(byte[] body) {
		WebhookPoster.Answer answer = this.poster.post(body,
				this.simulator.signWebhook(body, Instant.now()).verification());
		assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
		return UUID.fromString(answer.body().path("event_id").asString());
	}

	private Map<String, Object> row(UUID eventId) {
		return this.jdbc.sql("""
				SELECT status, success, status_reason, error_message, job_execution_id, sync_request_id, retries,
				    next_attempt_at, created_at FROM plaid_webhook_events WHERE id = :id
				""").param("id", eventId).query().singleRow();
	}

	private Map<String, Object> awaitEnded(UUID eventId) {
		return await().atMost(Duration.ofSeconds(60))
			.until(() -> row(eventId), (row) -> List.of("DONE", "FAILED").contains(row.get("status")));
	}

	private boolean fetchStartedAfterTheEvent(UUID eventId, String syncedAt) {
		return this.jdbc
			.sql("SELECT i." + syncedAt + " >= e.created_at FROM plaid_items i JOIN plaid_webhook_events e "
					+ "ON e.item_id = i.item_id WHERE e.id = :id")
			.param("id", eventId)
			.query(Boolean.class)
			.single();
	}

	private String parameter(long executionId, String name) {
		return this.jdbc
			.sql("""
					SELECT parameter_value FROM batch_job_execution_params WHERE job_execution_id = :id AND parameter_name = :name
					""")
			.param("id", executionId)
			.param("name", name)
			.query(String.class)
			.single();
	}

	private long calls(String endpoint, String itemId) {
		Map<String, Long> perItem = this.simulator.stats().callsPerEndpointPerItem().getOrDefault(endpoint, Map.of());
		return perItem.getOrDefault(itemId, 0L);
	}

	private String opsGet(String path) {
		try {
			java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
				.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + this.port + path))
					.header("Authorization", "Bearer test-ops-token")
					.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			return response.body();
		}
		catch (java.io.IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] holdingsBody(String itemId) {
		return plaidBody("environment", "sandbox", "error", null, "item_id", itemId, "new_holdings", 0,
				"updated_holdings", 4, "webhook_code", "DEFAULT_UPDATE", "webhook_type", "HOLDINGS");
	}

	private static byte[] transactionsBody(String itemId, String code, int cancelled) {
		return plaidBody("cancelled_investments_transactions", cancelled, "environment", "sandbox", "error", null,
				"item_id", itemId, "new_investments_transactions", 1, "webhook_code", code, "webhook_type",
				"INVESTMENTS_TRANSACTIONS");
	}

}
