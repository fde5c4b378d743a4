package dev.plaidsync.items;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * What a sync records on its items, and what it asks about them. Every method joins the
 * caller's transaction: a sync writer locks its chunk's items and marks them synced in
 * the chunk's one transaction, with the data. Each runs one statement (a batch for
 * {@link #markHoldingsSynced}), whatever the number of items.
 * <p>
 * Status changes (needs its user, broken, failed) are {@link ItemStatusChanges}'; the
 * readers page items through the view {@code item_sync_state}.
 */
@NamedInterface("sync")
@Component
public class ItemSyncMarkers {

	private final JdbcClient jdbc;

	private final NamedParameterJdbcTemplate named;

	ItemSyncMarkers(JdbcClient jdbc, NamedParameterJdbcTemplate named) {
		this.jdbc = jdbc;
		this.named = named;
	}

	/**
	 * Locks the items (FOR UPDATE, in item id order, so that concurrent runs never
	 * deadlock) until the caller's transaction ends, and returns when {@code product} was
	 * last synced for each, by item id: null for one never synced. An unknown or removed
	 * item is absent: its rows are gone or going, and a snapshot of it must not be
	 * written.
	 */
	public Map<String, OffsetDateTime> lockForSync(Collection<String> itemIds, SyncedProduct product) {
		Map<String, OffsetDateTime> synced = new TreeMap<>();
		if (itemIds.isEmpty()) {
			return synced;
		}
		this.jdbc.sql("""
				SELECT item_id, %s, status FROM plaid_items WHERE item_id IN (:ids) ORDER BY item_id FOR UPDATE
				""".formatted(product.syncedAtColumn()))
			.param("ids", itemIds.stream().sorted().distinct().toList())
			.query((row) -> {
				if (!ItemStatus.REMOVED.name().equals(row.getString(3))) {
					synced.put(row.getString(1), row.getObject(2, OffsetDateTime.class));
				}
			});
		return synced;
	}

	/**
	 * Items whose holdings were written from a snapshot fetched at {@code fetchedAt}:
	 * their error is cleared. The snapshot carried the accounts' balances, which were
	 * written with it, so their balances are as fresh as that fetch too (never older than
	 * balances a newer balances sync already stored).
	 */
	public void markHoldingsSynced(List<HoldingsSynced> items) {
		if (items.isEmpty()) {
			return;
		}
		this.named.batchUpdate(
				"""
						UPDATE plaid_items SET holdings_synced_at = :fetchedAt, last_error_code = NULL, last_error_message = NULL,
						    updated_at = now(), holdings_as_of = :holdingsAsOf, is_investments_fallback_item = :fallback,
						    balances_synced_at = GREATEST(balances_synced_at, :fetchedAt)
						WHERE item_id = :itemId
						""",
				items.stream()
					.map((item) -> new MapSqlParameterSource().addValue("fetchedAt", Timestamp.from(item.fetchedAt()))
						.addValue("holdingsAsOf", item.holdingsAsOf())
						.addValue("fallback", item.investmentsFallback())
						.addValue("itemId", item.itemId()))
					.toArray(SqlParameterSource[]::new));
	}

	/**
	 * The item's transactions were written from a window fetched at {@code fetchedAt}:
	 * its error is cleared, and a complete fetch of the full window is remembered as
	 * such.
	 */
	public void markTransactionsSynced(String itemId, Instant fetchedAt, boolean fullWindow) {
		this.jdbc
			.sql(fullWindow
					? """
							UPDATE plaid_items SET transactions_synced_at = :fetchedAt, last_error_code = NULL, last_error_message = NULL,
							    updated_at = now(), transactions_full_synced_at = :fetchedAt
							WHERE item_id = :itemId
							"""
					: """
							UPDATE plaid_items SET transactions_synced_at = :fetchedAt, last_error_code = NULL, last_error_message = NULL,
							    updated_at = now()
							WHERE item_id = :itemId
							""")
			.param("fetchedAt", Timestamp.from(fetchedAt))
			.param("itemId", itemId)
			.update();
	}

	/**
	 * The item's balances were written from a response fetched at {@code fetchedAt}: its
	 * error is cleared.
	 */
	public void markBalancesSynced(String itemId, Instant fetchedAt) {
		this.jdbc
			.sql("""
					UPDATE plaid_items SET balances_synced_at = :fetchedAt, last_error_code = NULL, last_error_message = NULL,
					    updated_at = now()
					WHERE item_id = :itemId
					""")
			.param("fetchedAt", Timestamp.from(fetchedAt))
			.param("itemId", itemId)
			.update();
	}

	/**
	 * An account of the item lost all its holdings while its balance stayed high: its
	 * stored holdings were kept, the item is not marked synced, and the error says so
	 * until a sync succeeds.
	 */
	public void holdingsGlitch(String itemId) {
		this.jdbc
			.sql("""
					UPDATE plaid_items SET last_error_code = 'HOLDINGS_GLITCH', last_error_at = now(),
					    last_error_message = 'An account lost all its holdings while its balance stayed high; kept the stored ones and will retry'
					WHERE item_id = :itemId
					""")
			.param("itemId", itemId)
			.update();
	}

	/**
	 * One page, by id after {@code afterId}, of the items in error: those that need their
	 * user, and ACTIVE ones whose last sync failed.
	 */
	public List<ItemInError> itemsInError(long afterId, int limit) {
		return this.jdbc.sql("""
				SELECT id, item_id, user_id, status FROM plaid_items
				WHERE (status = 'NEEDS_USER' OR (status = 'ACTIVE' AND last_error_code IS NOT NULL)) AND id > :afterId
				ORDER BY id LIMIT :limit
				""")
			.param("afterId", afterId)
			.param("limit", limit)
			.query((row, number) -> new ItemInError(row.getLong(1), row.getString(2), row.getObject(3, UUID.class),
					row.getString(4)))
			.list();
	}

	/**
	 * The item's status, last error and {@code product}'s sync marker, whatever its
	 * status; empty when unknown.
	 */
	public Optional<ItemSyncState> itemState(String itemId, SyncedProduct product) {
		return this.jdbc.sql("""
				SELECT item_id, status, status_reason, last_error_code, last_error_message, %s AS synced_at
				FROM plaid_items WHERE item_id = :itemId
				""".formatted(product.syncedAtColumn())).param("itemId", itemId).query(STATE).optional();
	}

	/** The same for each of the user's items that is not removed. */
	public List<ItemSyncState> userItemStates(UUID userId, SyncedProduct product) {
		return this.jdbc.sql("""
				SELECT item_id, status, status_reason, last_error_code, last_error_message, %s AS synced_at
				FROM plaid_items WHERE user_id = :userId AND status <> 'REMOVED'
				""".formatted(product.syncedAtColumn())).param("userId", userId).query(STATE).list();
	}

	private static final RowMapper<ItemSyncState> STATE = (row, number) -> new ItemSyncState(row.getString("item_id"),
			row.getString("status"), row.getString("status_reason"), row.getString("last_error_code"),
			row.getString("last_error_message"), row.getObject("synced_at", OffsetDateTime.class));

	/**
	 * An item whose holdings were written.
	 *
	 * @param holdingsAsOf as of when Plaid's newest price is, null when no holding has a
	 * price date
	 * @param investmentsFallback whether Plaid serves the item's investments from its
	 * fallback flow
	 */
	public record HoldingsSynced(String itemId, Instant fetchedAt, OffsetDateTime holdingsAsOf,
			boolean investmentsFallback) {
	}

	/** An item in error, as {@link #itemsInError} lists it. */
	public record ItemInError(long id, String itemId, UUID userId, String status) {
	}

	/**
	 * An item's state as a sync run reports it.
	 *
	 * @param syncedAt when the product was last synced for the item, null when never
	 */
	public record ItemSyncState(String itemId, String status, String statusReason, String lastErrorCode,
			String lastErrorMessage, OffsetDateTime syncedAt) {
	}

}
