package dev.plaidsync.items;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import dev.plaidsync.common.UserScopedSession;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What {@code items} exports to the sync for its two tables: {@link ItemSyncMarkers}, and
 * the views {@code item_sync_state} and {@code investment_account_keys} (V24) that the
 * sync's own SQL reads.
 */
@EngineIntegrationTest
class ItemSyncViewsIntegrationTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Users users;

	@Autowired
	UserScopedSession session;

	@Autowired
	ItemSyncMarkers markers;

	@Autowired
	TransactionTemplate transaction;

	/**
	 * The views run as their owner, so row-level security would not hold on them: a
	 * user-scoped read (a user's API request) is refused them, while it still reads its
	 * own item from the table.
	 */
	@Test
	void aUserScopedReadIsRefusedTheSyncViewsButReadsItsOwnItem() {
		UUID user = this.users.idFor("sync-views-" + UUID.randomUUID());
		String itemId = "item-sync-views-" + UUID.randomUUID();
		TestItems.insert(this.context, user, itemId, "access-sandbox-sync-views", "ins_900001");

		long ownItems = this.session.read(user,
				(jdbc) -> jdbc.sql("SELECT count(*) FROM plaid_items WHERE item_id = :itemId")
					.param("itemId", itemId)
					.query(Long.class)
					.single());
		assertThat(ownItems).isOne();
		for (String view : List.of("item_sync_state", "investment_account_keys")) {
			assertThatThrownBy(() -> this.session.read(user,
					(jdbc) -> jdbc.sql("SELECT count(*) FROM " + view).query(Long.class).single()))
				.as(view)
				.isInstanceOf(DataAccessException.class)
				.rootCause()
				.hasMessageContaining("permission denied for view " + view);
		}
	}

	@Test
	void theMarkersASyncRecordsAreWhatItsReadersSeeAndARemovedItemIsNeitherLockedNorAUsersItem() {
		UUID user = this.users.idFor("sync-markers-" + UUID.randomUUID());
		String itemId = "item-sync-markers-" + UUID.randomUUID();
		TestItems.insert(this.context, user, itemId, "access-sandbox-sync-markers", "ins_900001");
		Instant routine = Instant.parse("2026-11-30T15:00:00Z");
		Instant full = Instant.parse("2026-11-30T16:00:00Z");

		this.transaction.executeWithoutResult((status) -> {
			assertThat(this.markers.lockForSync(List.of(itemId), SyncedProduct.TRANSACTIONS)).containsEntry(itemId,
					null);
			this.markers.markTransactionsSynced(itemId, routine, false);
		});
		assertThat(synced(itemId, "transactions_synced_at")).isEqualTo(routine);
		assertThat(synced(itemId, "transactions_full_synced_at")).isNull();
		this.transaction.executeWithoutResult((status) -> {
			assertThat(this.markers.lockForSync(List.of(itemId), SyncedProduct.TRANSACTIONS).get(itemId).toInstant())
				.isEqualTo(routine);
			this.markers.markTransactionsSynced(itemId, full, true);
		});
		assertThat(synced(itemId, "transactions_full_synced_at")).isEqualTo(full);
		assertThat(this.markers.userItemStates(user, SyncedProduct.TRANSACTIONS))
			.extracting(ItemSyncMarkers.ItemSyncState::itemId, (state) -> state.syncedAt().toInstant())
			.containsExactly(tuple(itemId, full));

		this.jdbc.sql("UPDATE plaid_items SET status = 'REMOVED' WHERE item_id = :itemId")
			.param("itemId", itemId)
			.update();

		this.transaction.executeWithoutResult((
				status) -> assertThat(this.markers.lockForSync(List.of(itemId), SyncedProduct.TRANSACTIONS)).isEmpty());
		assertThat(this.markers.userItemStates(user, SyncedProduct.TRANSACTIONS)).isEmpty();
		assertThat(this.markers.itemState(itemId, SyncedProduct.TRANSACTIONS))
			.hasValueSatisfying((state) -> assertThat(state.status()).isEqualTo("REMOVED"));
	}

	/**
	 * A sync marker as the readers see it, through {@code item_sync_state}; null when
	 * never set.
	 */
	private Instant synced(String itemId, String column) {
		OffsetDateTime value = this.jdbc.sql("SELECT " + column + " FROM item_sync_state WHERE item_id = :itemId")
			.param("itemId", itemId)
			.query(OffsetDateTime.class)
			.list()
			.get(0);
		return (value != null) ? value.toInstant() : null;
	}

}
