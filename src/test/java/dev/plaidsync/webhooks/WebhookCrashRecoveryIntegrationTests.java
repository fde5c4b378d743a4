package dev.plaidsync.webhooks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import dev.plaidsync.testsupport.EngineProcess;
import dev.plaidsync.testsupport.TestDatabase;
import dev.plaidsync.webhooks.WebhookPoster.Answer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static dev.plaidsync.webhooks.WebhookPoster.plaidBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An engine in a child JVM stores and answers webhooks, but is {@code kill -9}ed before
 * dispatching them (its dispatch is deferred for 10 minutes), on a database this JVM
 * owns. The next engine to start on that database processes every one of them: each ends
 * DONE, with its job run, and every item is synced after its webhook.
 */
@EngineIntegrationTest
class WebhookCrashRecoveryIntegrationTests {

	private static final int ITEMS = 4;

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Autowired
	Environment environment;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	Users users;

	@TempDir
	Path workDirectory;

	private EngineProcess killed;

	private ConfigurableApplicationContext next;

	@AfterEach
	void stopEngines() {
		if (this.killed != null) {
			this.killed.close();
		}
		if (this.next != null) {
			this.next.close();
		}
	}

	@Test
	void eventsStoredByAnEngineKilledBeforeDispatchAreAllProcessedByTheNextStart() {
		String database = TestDatabase.newMigratedDatabaseUrl();
		JdbcClient db = JdbcClient.create(new DriverManagerDataSource(database, TestDatabase.username(), ""));
		List<String> items = itemsIn(db);

		this.killed = EngineProcess
			.start(this.workDirectory, childEnvironment(database), "--plaidsync.webhooks.dispatch.delay=10m",
					"--plaidsync.webhooks.dispatch.claim-after=10m")
			.awaitHealthy(Duration.ofSeconds(120));
		WebhookPoster poster = new WebhookPoster(this.killed.baseUrl());
		List<String> answered = new ArrayList<>();
		for (String itemId : items) {
			for (byte[] body : List.of(
					plaidBody("environment", "sandbox", "error", null, "item_id", itemId, "new_holdings", 2,
							"updated_holdings", 1, "webhook_code", "DEFAULT_UPDATE", "webhook_type", "HOLDINGS"),
					plaidBody("cancelled_investments_transactions", 0, "environment", "sandbox", "error", null,
							"item_id", itemId, "new_investments_transactions", 3, "webhook_code", "DEFAULT_UPDATE",
							"webhook_type", "INVESTMENTS_TRANSACTIONS"))) {
				Answer answer = poster.post(body, this.simulator.signWebhook(body).verification());
				assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
				assertThat(answer.body().path("status").asString()).isEqualTo("RECEIVED");
				answered.add(answer.body().path("event_id").asString());
			}
		}
		this.killed.kill();

		assertThat(db.sql("SELECT id::text FROM plaid_webhook_events WHERE status = 'RECEIVED' AND claimed_by IS NULL")
			.query(String.class)
			.list()).as("the kill landed after every answer and before any dispatch")
			.containsExactlyInAnyOrderElementsOf(answered);
		assertThat(db.sql("SELECT count(*) FROM batch_job_execution").query(Long.class).single()).isZero();

		String local = "http://localhost:" + this.port;
		this.next = EngineContexts.start(database, "plaid.base-url=" + local + "/simulator/plaid/",
				"plaid.webhook-url=" + local + "/webhook/plaid");
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> db.sql("SELECT count(*) FROM plaid_webhook_events WHERE status IN ('RECEIVED', 'LAUNCHED')")
				.query(Long.class)
				.single() == 0);

		List<Map<String, Object>> events = db.sql("""
				SELECT w.id::text AS id, w.status, w.success, w.job_execution_id, e.status AS execution_status,
				    i.job_name
				FROM plaid_webhook_events w
				LEFT JOIN batch_job_execution e ON e.job_execution_id = w.job_execution_id
				LEFT JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
				""").query().listOfRows();
		assertThat(events).hasSize(answered.size()).allSatisfy((event) -> {
			assertThat(event.get("status")).as("event %s", event).isEqualTo("DONE");
			assertThat(event.get("success")).isEqualTo(true);
			assertThat(event.get("execution_status")).isEqualTo("COMPLETED");
		});
		assertThat(events).extracting((event) -> event.get("job_name"))
			.containsOnly("holdingsSyncJob", "transactionsSyncJob");
		assertThat(
				db.sql("""
						SELECT item_id FROM plaid_items i
						WHERE holdings_synced_at IS NULL OR transactions_synced_at IS NULL
						   OR holdings_synced_at <= (SELECT max(created_at) FROM plaid_webhook_events w WHERE w.item_id = i.item_id)
						   OR transactions_synced_at <= (SELECT max(created_at) FROM plaid_webhook_events w WHERE w.item_id = i.item_id)
						""")
					.query(String.class)
					.list())
			.as("items not synced after their webhooks")
			.isEmpty();
	}

	/**
	 * Simulator items, stored in the test database as linking does, then copied into the
	 * crash test's database.
	 */
	private List<String> itemsIn(JdbcClient db) {
		UUID user = this.users.idFor("webhook-crash-" + UUID.randomUUID());
		List<String> items = TestItems.create(this.context, user, ITEMS, "ins_900001", "webhook-crash-" + user);
		db.sql("INSERT INTO app_users (id, auth_subject) VALUES (:id, :subject)")
			.param("id", user)
			.param("subject", "webhook-crash-" + user)
			.update();
		this.jdbc.sql("""
				SELECT item_id, user_id, institution_id, institution_name, access_token_ciphertext, access_token_key_id
				FROM plaid_items WHERE item_id IN (:items)
				""").param("items", items).query().listOfRows().forEach((row) -> db.sql("""
				INSERT INTO plaid_items (item_id, user_id, institution_id, institution_name, access_token_ciphertext,
				    access_token_key_id)
				VALUES (:item_id, :user_id, :institution_id, :institution_name, :access_token_ciphertext,
				    :access_token_key_id)
				""").params(row).update());
		return items;
	}

	private Map<String, String> childEnvironment(String database) {
		String local = "http://localhost:" + this.port;
		Map<String, String> environment = EngineProcess.environmentOn(database,
				this.environment.getProperty("plaidsync.token.key"), this.workDirectory.resolve("data"));
		environment.put("PLAID_BASE_URL", local + "/simulator/plaid/");
		environment.put("PLAID_WEBHOOK_URL", local + "/webhook/plaid");
		return environment;
	}

}
