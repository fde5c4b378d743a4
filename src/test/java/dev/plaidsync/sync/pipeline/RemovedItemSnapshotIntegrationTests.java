package dev.plaidsync.sync.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.plaidsync.items.ItemRemoval;
import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12: a snapshot fetched before an item's removal and written after it never
 * re-creates the item's rows. The writers re-check the item's status under its row lock,
 * and removal takes that lock before it deletes.
 */
@EngineIntegrationTest
class RemovedItemSnapshotIntegrationTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	ChunkSettlement settlement;

	@Autowired
	ItemRemoval removal;

	@Autowired
	Users users;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transaction;

	@Test
	void aSnapshotFetchedBeforeTheRemovalIsDroppedWhenItsWriterLocksTheItemAfterIt() {
		UUID user = this.users.idFor("late-snapshot-" + UUID.randomUUID());
		String itemId = TestItems.create(this.context, user, 1, "ins_900001", "late-" + user).get(0);
		FetchOutcome.Fetched<String> fetchedBefore = new FetchOutcome.Fetched<>(syncItem(itemId, user), "snapshot",
				Instant.now());

		assertThat(this.removal.remove(itemId, "test")).contains(user);

		List<FetchOutcome.Fetched<String>> kept = this.transaction.execute((status) -> this.settlement
			.lockAndKeepFresh(List.of(itemId), List.of(fetchedBefore), "holdings_synced_at"));
		assertThat(kept).isEmpty();
	}

	@Test
	void aWriterHoldingTheItemLockFinishesFirstAndTheRemovalThenDeletesWhatItWrote() throws Exception {
		UUID user = this.users.idFor("racing-writer-" + UUID.randomUUID());
		String itemId = TestItems.create(this.context, user, 1, "ins_900001", "race-" + user).get(0);
		CountDownLatch locked = new CountDownLatch(1);
		CountDownLatch commit = new CountDownLatch(1);
		CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> this.transaction.execute((status) -> {
			List<FetchOutcome.Fetched<String>> kept = this.settlement.lockAndKeepFresh(List.of(itemId),
					List.of(new FetchOutcome.Fetched<>(syncItem(itemId, user), "snapshot", Instant.now())),
					"holdings_synced_at");
			if (!kept.isEmpty()) {
				this.jdbc.sql("""
						INSERT INTO user_investment_accounts (account_id, item_id, user_id, name, mask, type)
						VALUES (:account, :item, :user, 'Brokerage', '1234', 'investment')
						""").param("account", "acc-" + itemId).param("item", itemId).param("user", user).update();
			}
			locked.countDown();
			try {
				commit.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return kept.size();
		}));
		assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<?> removing = CompletableFuture.runAsync(() -> this.removal.remove(itemId, "test"));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc
				.sql("""
						SELECT count(*) FROM pg_stat_activity
						WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%UPDATE plaid_items SET status = ''REMOVED''%'
						""")
				.query(Long.class)
				.single() == 1);
		commit.countDown();

		assertThat(writer.get(30, TimeUnit.SECONDS)).isEqualTo(1);
		removing.get(30, TimeUnit.SECONDS);
		assertThat(this.jdbc.sql("SELECT count(*) FROM user_investment_accounts WHERE item_id = :item")
			.param("item", itemId)
			.query(Long.class)
			.single()).isZero();
		assertThat(this.jdbc.sql("SELECT status FROM plaid_items WHERE item_id = :item")
			.param("item", itemId)
			.query(String.class)
			.single()).isEqualTo("REMOVED");
	}

	private static SyncItem syncItem(String itemId, UUID user) {
		return new SyncItem(0, itemId, user, "ins_900001", "k1", new byte[0], null, null);
	}

}
