package dev.plaidsync.webhooks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static dev.plaidsync.webhooks.WebhookPoster.plaidBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An event published by a committed transaction is delivered even though the node that
 * published it died right after the commit. An engine in a child JVM takes Plaid's
 * LOGIN_REPAIRED for an item that needs its user: it reactivates the item and commits
 * {@code ItemRepaired} with it, and its listener (the first syncs) starts; this JVM holds
 * a lock on {@code sync_requests}, so the listener cannot get further, and the engine is
 * {@code kill -9}ed there. The next engine on the database finds the publication stale,
 * resubmits it, and the item syncs: one holdings and one transactions run, as if nothing
 * had happened. The completed publication is then purged.
 */
@EngineIntegrationTest
class ItemRepairedAfterCrashIntegrationTests {

	private static final String LISTENER = "dev.plaidsync.sync.triggers.FirstSyncs.itemRepaired(%";

	/**
	 * The launcher's first statement of a request: the listener is waiting for this JVM's
	 * lock.
	 */
	private static final String LAUNCHER_WAITING = "DELETE FROM sync_requests r WHERE r.job_name%";

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

	private Connection lockHolder;

	private ConfigurableApplicationContext next;

	@AfterEach
	void stopEngines() throws SQLException {
		if (this.killed != null) {
			this.killed.close();
		}
		if (this.lockHolder != null) {
			this.lockHolder.close();
		}
		if (this.next != null) {
			this.next.close();
		}
	}

	@Test
	void itemRepairedCommittedByANodeKilledBeforeItsListenerRanIsDeliveredByTheNextNode() throws SQLException {
		String database = TestDatabase.newMigratedDatabaseUrl();
		JdbcClient db = JdbcClient.create(new DriverManagerDataSource(database, TestDatabase.username(), ""));
		String itemId = itemNeedingItsUserIn(db);
		String local = "http://localhost:" + this.port;
		Map<String, String> environment = EngineProcess.environmentOn(database,
				this.environment.getProperty("plaidsync.token.key"), this.workDirectory.resolve("data"));
		environment.put("PLAID_BASE_URL", local + "/simulator/plaid/");
		environment.put("PLAID_WEBHOOK_URL", local + "/webhook/plaid");
		this.killed = EngineProcess.start(this.workDirectory, environment).awaitHealthy(Duration.ofSeconds(120));

		this.lockHolder = DriverManager.getConnection(database, TestDatabase.username(), "");
		this.lockHolder.setAutoCommit(false);
		try (Statement statement = this.lockHolder.createStatement()) {
			statement.execute("LOCK TABLE sync_requests IN EXCLUSIVE MODE");
		}
		byte[] body = plaidBody("environment", "sandbox", "error", null, "item_id", itemId, "webhook_code",
				"LOGIN_REPAIRED", "webhook_type", "ITEM");
		Answer answer = new WebhookPoster(this.killed.baseUrl()).post(body,
				this.simulator.signWebhook(body).verification());
		assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> db.sql("""
				SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE :launcher
				""").param("launcher", LAUNCHER_WAITING).query(Long.class).single() > 0);
		this.killed.kill();
		this.lockHolder.rollback();

		assertThat(db.sql("SELECT status FROM plaid_items WHERE item_id = :item")
			.param("item", itemId)
			.query(String.class)
			.single()).as("the repair committed before the kill").isEqualTo("ACTIVE");
		assertThat(publication(db)).as("the kill landed after the commit, while the listener was running")
			.containsEntry("status", "PROCESSING")
			.containsEntry("completion_date", null);
		assertThat(runRequests(db, itemId)).as("and before it requested any sync").isEmpty();

		// The test waits out stale-after (from the publication's commit): as short as it
		// may be, above max-start-delay plus the listener (a launch, well under a second
		// here). Keep-completed outlasts a poll on a loaded machine, so the completed
		// publication is read before it is purged.
		this.next = EngineContexts.start(database, "plaid.base-url=" + local + "/simulator/plaid/",
				"plaid.webhook-url=" + local + "/webhook/plaid", "plaidsync.events.max-start-delay=5s",
				"plaidsync.events.stale-after=15s", "plaidsync.events.resubmit-every=500ms",
				"plaidsync.events.keep-completed=20s", "plaidsync.events.purge-every=500ms");
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> "COMPLETED".equals(publication(db).get("status")));
		assertThat(publication(db).get("completion_attempts")).as("delivered once, by one resubmission").isEqualTo(2);
		assertThat(this.next.getBean("moduleEventExecutor", ThreadPoolTaskExecutor.class)
			.getThreadPoolExecutor()
			.getCompletedTaskCount()).as("module listeners run on their own pool").isPositive();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> db.sql("""
				SELECT holdings_synced_at IS NOT NULL AND transactions_synced_at IS NOT NULL FROM plaid_items
				WHERE item_id = :item
				""").param("item", itemId).query(Boolean.class).single());
		assertThat(runRequests(db, itemId)).as("one holdings and one transactions sync, not two of each")
			.containsExactlyInAnyOrder("holdingsSyncJob", "transactionsSyncJob");
		assertThat(db.sql("SELECT count(*) FROM holdings WHERE item_id = :item")
			.param("item", itemId)
			.query(Long.class)
			.single()).isPositive();

		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> db.sql("SELECT count(*) FROM event_publication WHERE listener_id LIKE :listener")
				.param("listener", LISTENER)
				.query(Long.class)
				.single() == 0);
	}

	private static Map<String, Object> publication(JdbcClient db) {
		List<Map<String, Object>> rows = db
			.sql("""
					SELECT status, completion_date, completion_attempts FROM event_publication WHERE listener_id LIKE :listener
					""")
			.param("listener", LISTENER)
			.query()
			.listOfRows();
		assertThat(rows).as("ItemRepaired's one publication to the first syncs").hasSize(1);
		return rows.get(0);
	}

	private static List<String> runRequests(JdbcClient db, String itemId) {
		return db.sql("SELECT job_name FROM sync_run_requests WHERE scope_key = :scope")
			.param("scope", "ITEM:" + itemId)
			.query(String.class)
			.list();
	}

	/**
	 * A simulator item, stored as linking does in the test database, copied into the
	 * crash test's one as NEEDS_USER.
	 */
	private String itemNeedingItsUserIn(JdbcClient db) {
		UUID user = this.users.idFor("repair-crash-" + UUID.randomUUID());
		String itemId = TestItems.create(this.context, user, 1, "ins_900001", "repair-crash-" + user).get(0);
		db.sql("INSERT INTO app_users (id, auth_subject) VALUES (:id, :subject)")
			.param("id", user)
			.param("subject", "repair-crash-" + user)
			.update();
		Map<String, Object> item = this.jdbc.sql("""
				SELECT item_id, user_id, institution_id, institution_name, access_token_ciphertext, access_token_key_id
				FROM plaid_items WHERE item_id = :item
				""").param("item", itemId).query().singleRow();
		db.sql("""
				INSERT INTO plaid_items (item_id, user_id, institution_id, institution_name, access_token_ciphertext,
				    access_token_key_id, status, status_reason)
				VALUES (:item_id, :user_id, :institution_id, :institution_name, :access_token_ciphertext,
				    :access_token_key_id, 'NEEDS_USER', 'ITEM_LOGIN_REQUIRED')
				""").params(item).update();
		return itemId;
	}

}
