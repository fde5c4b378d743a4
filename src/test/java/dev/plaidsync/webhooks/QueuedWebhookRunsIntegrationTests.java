package dev.plaidsync.webhooks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;

import dev.plaidsync.items.ItemLinking;
import dev.plaidsync.items.Users;
import dev.plaidsync.plaid.PlaidGateway;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.testsupport.EngineIntegrationTest;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static dev.plaidsync.webhooks.WebhookPoster.plaidBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * More webhook runs than the node can start at once (one job at a time here), each run
 * slowed by Plaid's latency, so that most wait far longer than the orphan threshold (2 s
 * here) before they start. The node is alive throughout: none of its waiting runs is
 * taken for an orphan, none ends FAILED, and every webhook event ends DONE because the
 * fetch that served it wrote its item. A user's force-sync sent into such a backlog
 * starts at the next free slot, ahead of the waiting webhook runs, and answers 200; a
 * webhook run of a user who reads their portfolio while it waits moves ahead of the
 * others.
 */
@EngineIntegrationTest
@TestPropertySource(properties = { "plaidsync.sync.concurrent-jobs=1", "plaidsync.ops.orphan-after=2s",
		"plaidsync.ops.recovery-interval=300ms", "plaidsync.ops.heartbeat-interval=300ms",
		"plaidsync.sync.queue-gauge-interval=300ms" })
class QueuedWebhookRunsIntegrationTests {

	private static final int ITEMS = 12;

	private static final JsonMapper JSON = JsonMapper.shared();

	private static final Duration ORPHAN_AFTER = Duration.ofSeconds(2);

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
	MeterRegistry meters;

	@Test
	void runsWaitingLongerThanTheOrphanThresholdOnALiveNodeAreNeverOrphans() {
		List<String> items = linkItems();
		long before = this.jdbc.sql("SELECT coalesce(max(job_execution_id), 0) FROM batch_job_execution")
			.query(Long.class)
			.single();
		WebhookPoster poster = new WebhookPoster("http://localhost:" + this.port);
		this.simulator.setLatency(Duration.ofMillis(400), Duration.ZERO);
		try {
			for (String itemId : items) {
				byte[] body = plaidBody("environment", "sandbox", "error", null, "item_id", itemId, "new_holdings", 1,
						"updated_holdings", 1, "webhook_code", "DEFAULT_UPDATE", "webhook_type", "HOLDINGS");
				assertThat(poster.post(body, this.simulator.signWebhook(body).verification()).status()).isEqualTo(200);
			}
			await().atMost(Duration.ofSeconds(120))
				.pollInterval(Duration.ofMillis(300))
				.until(() -> this.jdbc
					.sql("""
							SELECT count(*) FROM plaid_webhook_events WHERE item_id IN (:items) AND status IN ('RECEIVED', 'LAUNCHED')
							""")
					.param("items", items)
					.query(Long.class)
					.single() == 0);
		}
		finally {
			this.simulator.setLatency(Duration.ZERO, Duration.ZERO);
		}

		Duration longestWait = Duration.ofMillis(this.jdbc
			.sql("""
					SELECT coalesce(max(extract(epoch FROM e.start_time - r.requested_at AT TIME ZONE current_setting('TimeZone')) * 1000), 0)::bigint
					FROM sync_run_requests r JOIN batch_job_execution e ON e.job_execution_id = r.job_execution_id
					WHERE r.scope_key IN (:scopes) AND r.job_execution_id > :before
					""")
			.param("scopes", scopes(items))
			.param("before", before)
			.query(Long.class)
			.single());
		assertThat(longestWait).as("the backlog made runs wait longer than the orphan threshold")
			.isGreaterThan(ORPHAN_AFTER.multipliedBy(2));
		assertThat(this.jdbc.sql("""
				SELECT count(*) FROM job_execution_owners WHERE job_execution_id > :before AND orphaned_at IS NOT NULL
				""").param("before", before).query(Long.class).single()).as("runs taken for orphans").isZero();
		assertThat(this.jdbc.sql("""
				SELECT e.job_execution_id || ' ' || e.status || ' ' || coalesce(e.exit_message, '')
				FROM batch_job_execution e WHERE e.job_execution_id > :before AND e.status <> 'COMPLETED'
				""").param("before", before).query(String.class).list()).as("runs that did not complete").isEmpty();
		assertThat(this.jdbc.sql("""
				SELECT w.item_id || ' ' || w.status || ' ' || coalesce(w.status_reason, '') FROM plaid_webhook_events w
				WHERE w.item_id IN (:items) AND (w.status <> 'DONE' OR w.success IS NOT TRUE)
				""").param("items", items).query(String.class).list())
			.as("events not DONE by the fetch that served them")
			.isEmpty();
		assertThat(this.jdbc
			.sql("""
					SELECT i.item_id FROM plaid_items i WHERE i.item_id IN (:items) AND (i.holdings_synced_at IS NULL
					    OR i.holdings_synced_at <= (SELECT max(created_at) FROM plaid_webhook_events w WHERE w.item_id = i.item_id))
					""")
			.param("items", items)
			.query(String.class)
			.list()).as("items not fetched after their webhook").isEmpty();
	}

	private static List<String> scopes(List<String> items) {
		return items.stream().map((item) -> "ITEM:" + item).toList();
	}

	@Test
	void aForceSyncSentIntoAWebhookBacklogStartsAheadOfItAndAnswers200() throws Exception {
		List<String> items = linkItems();
		String subject = "force-sync-" + UUID.randomUUID();
		UUID userId = this.users.idFor(subject);
		link(userId, 0);
		awaitNoRequests();
		String jwt = demoToken(subject);
		WebhookPoster poster = new WebhookPoster("http://localhost:" + this.port);
		// runs slower than webhooks arrive, so that a backlog builds
		this.simulator.setLatency(Duration.ofMillis(1000), Duration.ZERO);
		try {
			for (String itemId : items) {
				byte[] body = plaidBody("environment", "sandbox", "error", null, "item_id", itemId, "new_holdings", 1,
						"updated_holdings", 1, "webhook_code", "DEFAULT_UPDATE", "webhook_type", "HOLDINGS");
				assertThat(poster.post(body, this.simulator.signWebhook(body).verification()).status()).isEqualTo(200);
			}
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> waitingWebhookRuns(items) >= ITEMS / 2);
			long waitingWhenPressed = waitingWebhookRuns(items);
			// operators see the backlog: its depth and its oldest wait, in the webhook
			// tier
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> gauge("sync.launch.queue.depth", "webhook") >= 3
						&& gauge("sync.launch.queue.oldest.wait", "webhook") > 0);
			assertThat(gauge("sync.launch.queue.depth", "user")).isZero();

			long pressed = System.nanoTime();
			HttpResponse<String> answer = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/portfolio/force-sync"))
					.header("Authorization", "Bearer " + jwt)
					.POST(HttpRequest.BodyPublishers.noBody())
					.timeout(Duration.ofSeconds(60))
					.build(), HttpResponse.BodyHandlers.ofString());
			Duration took = Duration.ofNanos(System.nanoTime() - pressed);
			System.out.printf("force-sync into a backlog of %d waiting webhook runs: %d in %d ms%n", waitingWhenPressed,
					answer.statusCode(), took.toMillis());
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
			assertThat(JSON.readTree(answer.body()).path("state").asString()).as(answer.body()).isEqualTo("COMPLETED");

			Instant forceSyncStarted = this.jdbc.sql("""
					SELECT max(e.start_time) FROM sync_run_requests r
					JOIN batch_job_execution e ON e.job_execution_id = r.job_execution_id WHERE r.scope_key = :scope
					""").param("scope", "USER:" + userId).query(Timestamp.class).single().toInstant();
			awaitNoRequests();
			List<Instant> webhookStarts = this.jdbc.sql("""
					SELECT e.start_time FROM sync_run_requests r
					JOIN batch_job_execution e ON e.job_execution_id = r.job_execution_id WHERE r.scope_key IN (:scopes)
					""")
				.param("scopes", scopes(items))
				.query(Timestamp.class)
				.list()
				.stream()
				.map(Timestamp::toInstant)
				.toList();
			// only the webhook run holding the slot, or one taking it as the force-sync
			// arrived, may start between the press and the force-sync's last run
			long startedAfter = webhookStarts.stream().filter((start) -> start.isAfter(forceSyncStarted)).count();
			assertThat(startedAfter)
				.as("webhook runs that started after the force-sync's runs, of %d waiting when it was pressed",
						waitingWhenPressed)
				.isGreaterThanOrEqualTo(waitingWhenPressed - 1);
		}
		finally {
			this.simulator.setLatency(Duration.ZERO, Duration.ZERO);
		}
	}

	@Test
	void aWaitingWebhookRunOfAUserWhoReadsTheirPortfolioStartsAheadOfTheOthers() throws Exception {
		List<String> items = linkItems();
		String subject = "watcher-" + UUID.randomUUID();
		String watched = link(this.users.idFor(subject), 1);
		awaitNoRequests();
		String jwt = demoToken(subject);
		WebhookPoster poster = new WebhookPoster("http://localhost:" + this.port);
		this.simulator.setLatency(Duration.ofMillis(1000), Duration.ZERO);
		try {
			List<String> all = new ArrayList<>(items);
			all.add(watched);
			for (String itemId : all) {
				byte[] body = plaidBody("environment", "sandbox", "error", null, "item_id", itemId, "new_holdings", 1,
						"updated_holdings", 1, "webhook_code", "DEFAULT_UPDATE", "webhook_type", "HOLDINGS");
				assertThat(poster.post(body, this.simulator.signWebhook(body).verification()).status()).isEqualTo(200);
			}
			// the watcher's run waits last in line, behind a backlog
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> waitingWebhookRuns(List.of(watched)) == 1 && waitingWebhookRuns(items) >= ITEMS / 2);
			long waitingWhenRead = waitingWebhookRuns(items);
			HttpResponse<String> portfolio = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/portfolio"))
					.header("Authorization", "Bearer " + jwt)
					.GET()
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(portfolio.statusCode()).as(portfolio.body()).isEqualTo(200);
			awaitNoRequests();

			Instant watchedStarted = this.jdbc.sql("""
					SELECT max(e.start_time) FROM sync_run_requests r
					JOIN batch_job_execution e ON e.job_execution_id = r.job_execution_id WHERE r.scope_key = :scope
					""").param("scope", "ITEM:" + watched).query(Timestamp.class).single().toInstant();
			long startedAfter = this.jdbc.sql("""
					SELECT count(*) FROM sync_run_requests r
					JOIN batch_job_execution e ON e.job_execution_id = r.job_execution_id
					WHERE r.scope_key IN (:scopes) AND e.start_time > :started
					""")
				.param("scopes", scopes(items))
				.param("started", Timestamp.from(watchedStarted))
				.query(Long.class)
				.single();
			System.out.printf("watched webhook run: %d of %d other waiting webhook runs started after it%n",
					startedAfter, waitingWhenRead);
			// the run holding the slot when the portfolio was read may start first
			assertThat(startedAfter)
				.as("other webhook runs that started after the watched one, of %d waiting", waitingWhenRead)
				.isGreaterThanOrEqualTo(waitingWhenRead - 2);
		}
		finally {
			this.simulator.setLatency(Duration.ZERO, Duration.ZERO);
		}
	}

	private double gauge(String name, String tier) {
		return this.meters.get(name).tag("tier", tier).gauge().value();
	}

	private long waitingWebhookRuns(List<String> items) {
		return this.jdbc.sql("SELECT count(*) FROM sync_requests WHERE state = 'PENDING' AND scope_key IN (:scopes)")
			.param("scopes", scopes(items))
			.query(Long.class)
			.single();
	}

	private String demoToken(String subject) throws Exception {
		HttpResponse<String> answer = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/demo/token"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("userId", subject))))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		return JSON.readTree(answer.body()).path("token").asString();
	}

	private String link(UUID userId, int n) {
		String token = this.gateway.createSandboxPublicToken("ins_90000" + (1 + n % 4), "queued_" + n).getPublicToken();
		return ((ItemLinking.Linked) this.linking.link(userId, token)).item().itemId();
	}

	private void awaitNoRequests() {
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(300))
			.until(() -> this.jdbc.sql("SELECT count(*) FROM sync_requests").query(Long.class).single() == 0);
	}

	private List<String> linkItems() {
		this.simulator.setLatency(Duration.ZERO, Duration.ZERO);
		List<String> items = new ArrayList<>();
		for (int n = 0; n < ITEMS; n++) {
			items.add(link(this.users.idFor("queued-" + n + "-" + UUID.randomUUID()), n));
		}
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(300))
			.until(() -> this.jdbc.sql("SELECT count(*) FROM sync_requests").query(Long.class).single() == 0);
		return items;
	}

}
