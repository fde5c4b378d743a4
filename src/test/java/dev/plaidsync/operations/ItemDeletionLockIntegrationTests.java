package dev.plaidsync.operations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
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
 * Removing an item takes the item's row lock before it deletes anything (issue 15): while
 * another transaction holds the lock, neither the removal nor a sync write for the item
 * gets through, nothing is deleted or written, and once the lock is released both finish
 * one after the other and no row of the item is left behind.
 */
@EngineIntegrationTest
class ItemDeletionLockIntegrationTests {

	private static final String TOKEN = "test-ops-token";

	private static final Map<String, String> CHILD_ROWS = Map.of("holdings",
			"SELECT count(*) FROM holdings WHERE item_id = :item", "investment_transactions",
			"SELECT count(*) FROM investment_transactions WHERE item_id = :item", "user_investment_accounts",
			"SELECT count(*) FROM user_investment_accounts WHERE item_id = :item", "holdings_history", """
					SELECT count(*) FROM holdings_history h JOIN user_investment_accounts a ON a.id = h.account_key
					WHERE a.item_id = :item""");

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	Users users;

	RestClient http;

	@BeforeEach
	void setUp() {
		this.http = RestClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.defaultHeader("Authorization", "Bearer " + TOKEN)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	@Test
	void theRemovalWaitsForTheItemsRowLockAndASyncWriteCannotInterleave() throws Exception {
		UUID user = this.users.idFor("delete-lock-" + UUID.randomUUID());
		String item = TestItems.create(this.context, user, 1, "ins_900001", "delete-lock-" + user).get(0);
		awaitCompleted(launch("holdingsSyncJob", item));
		awaitCompleted(launch("transactionsSyncJob", item));
		assertThat(count(CHILD_ROWS.get("holdings"), item)).as("the item has holdings to delete").isPositive();
		assertThat(count(CHILD_ROWS.get("user_investment_accounts"), item)).isPositive();
		OffsetDateTime syncedBefore = holdingsSyncedAt(item);
		Map<String, Long> before = childRows(item);

		try (Connection holder = this.dataSource.getConnection()) {
			holder.setAutoCommit(false);
			try (PreparedStatement lock = holder
				.prepareStatement("SELECT 1 FROM plaid_items WHERE item_id = ? FOR UPDATE")) {
				lock.setString(1, item);
				lock.executeQuery().close();
			}
			int waitingBefore = waitingOnLocks();

			long sync = launch("holdingsSyncJob", item);
			await("the sync's writer waits for the item's lock").atMost(Duration.ofSeconds(60))
				.until(() -> waitingOnLocks() >= waitingBefore + 1);
			CompletableFuture<ResponseEntity<Map<String, Object>>> removal = CompletableFuture
				.supplyAsync(() -> post("/ops/items/" + item + "/remove"));
			await("the removal waits for the item's lock").atMost(Duration.ofSeconds(60))
				.until(() -> waitingOnLocks() >= waitingBefore + 2);

			assertThat(removal).as("the removal cannot finish while the lock is held").isNotDone();
			assertThat(status(sync)).isEqualTo("STARTED");
			assertThat(childRows(item)).as("nothing deleted while the lock is held").isEqualTo(before);
			assertThat(holdingsSyncedAt(item)).as("nothing written while the lock is held").isEqualTo(syncedBefore);
			assertThat(itemStatus(item)).isEqualTo("ACTIVE");

			holder.commit();

			ResponseEntity<Map<String, Object>> removed = removal.get(60, java.util.concurrent.TimeUnit.SECONDS);
			assertThat(removed.getStatusCode().value()).as("removal answered %s", removed.getBody()).isEqualTo(200);
			assertThat(removed.getBody()).containsEntry("status", "REMOVED");
			awaitCompleted(sync);
		}

		assertThat(itemStatus(item)).isEqualTo("REMOVED");
		assertThat(childRows(item)).as("no row of the removed item is left behind")
			.allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
	}

	private Map<String, Long> childRows(String item) {
		Map<String, Long> rows = new java.util.TreeMap<>();
		CHILD_ROWS.forEach((table, sql) -> rows.put(table, count(sql, item)));
		return rows;
	}

	private int waitingOnLocks() {
		return this.jdbc.sql("""
				SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
				""").query(Integer.class).single();
	}

	private long count(String sql, String item) {
		return this.jdbc.sql(sql).param("item", item).query(Long.class).single();
	}

	private OffsetDateTime holdingsSyncedAt(String item) {
		return this.jdbc.sql("SELECT holdings_synced_at FROM plaid_items WHERE item_id = :item")
			.param("item", item)
			.query(OffsetDateTime.class)
			.single();
	}

	private String itemStatus(String item) {
		return this.jdbc.sql("SELECT status FROM plaid_items WHERE item_id = :item")
			.param("item", item)
			.query(String.class)
			.single();
	}

	private long launch(String job, String item) {
		ResponseEntity<Map<String, Object>> answer = post("/ops/jobs/" + job + "/launch",
				"{\"scope\":\"ITEM\",\"itemId\":\"" + item + "\"}");
		assertThat(answer.getStatusCode().value()).as("launch answered %s", answer.getBody()).isEqualTo(200);
		assertThat(answer.getBody()).containsEntry("status", "STARTED");
		return ((Number) answer.getBody().get("jobExecutionId")).longValue();
	}

	private void awaitCompleted(long execution) {
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> "COMPLETED".equals(status(execution)));
	}

	private String status(long execution) {
		return (String) this.http.get()
			.uri("/ops/executions/" + execution)
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.get("status");
	}

	private ResponseEntity<Map<String, Object>> post(String path) {
		return post(path, "");
	}

	private ResponseEntity<Map<String, Object>> post(String path, String body) {
		return this.http.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.toEntity(new ParameterizedTypeReference<Map<String, Object>>() {
			});
	}

}
