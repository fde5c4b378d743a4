package dev.plaidsync.items;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.plaidsync.common.UserScopedSession;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * A user's Plaid Items, read: the reads for the user run as that user (row-level
 * security, plus an owner filter in the SQL: two fences), and join the caller's
 * user-scoped read when there is one. Removed items are gone from the user's point of
 * view. Read-only and thread-safe.
 */
@NamedInterface({ "sync", "users" })
@Component
public class LinkedItems {

	private static final String COLUMNS = """
			item_id, institution_id, institution_name, status, status_reason, status_changed_at, holdings_synced_at,
			holdings_as_of, transactions_synced_at, transactions_full_synced_at, balances_synced_at, consent_expiration_at,
			pending_disconnect_at, pending_disconnect_reason, new_accounts_available_at, is_investments_fallback_item,
			last_error_code, last_error_message, last_error_at, created_at
			""";

	private final UserScopedSession session;

	private final JdbcClient jdbc;

	LinkedItems(UserScopedSession session, JdbcClient jdbc) {
		this.session = session;
		this.jdbc = jdbc;
	}

	/**
	 * One item as its user sees it.
	 *
	 * @param status ACTIVE, NEEDS_USER, REVOKED or REMOVED
	 * @param holdingsAsOf when Plaid's holdings data is from, when Plaid said
	 * @param investmentsFallback the institution's holdings are entered by hand (Plaid's
	 * investments fallback)
	 */
	public record ItemSummary(String itemId, String institutionId, String institutionName, String status,
			String statusReason, OffsetDateTime statusChangedAt, OffsetDateTime holdingsSyncedAt,
			OffsetDateTime holdingsAsOf, OffsetDateTime transactionsSyncedAt, OffsetDateTime transactionsFullSyncedAt,
			OffsetDateTime balancesSyncedAt, OffsetDateTime consentExpirationAt, OffsetDateTime pendingDisconnectAt,
			String pendingDisconnectReason, OffsetDateTime newAccountsAvailableAt, boolean investmentsFallback,
			String lastErrorCode, String lastErrorMessage, OffsetDateTime lastErrorAt, OffsetDateTime createdAt) {
	}

	/** An item that waits for its user to reconnect, and the Plaid code why. */
	public record ItemNeedingUser(String itemId, String statusReason) {
	}

	/** The user's items that are not removed, oldest link first. */
	public List<ItemSummary> ofUser(UUID userId) {
		return this.session.read(userId,
				(jdbc) -> jdbc.sql("SELECT " + COLUMNS
						+ " FROM plaid_items WHERE user_id = :userId AND status <> 'REMOVED' ORDER BY created_at, id")
					.param("userId", userId)
					.query(LinkedItems::item)
					.list());
	}

	/**
	 * The user's item, or empty for an unknown, removed or someone else's item id: all
	 * three look the same.
	 */
	public Optional<ItemSummary> find(UUID userId, String itemId) {
		return this.session
			.read(userId,
					(jdbc) -> jdbc.sql("SELECT " + COLUMNS
							+ " FROM plaid_items WHERE user_id = :userId AND item_id = :itemId AND status <> 'REMOVED'")
						.param("userId", userId)
						.param("itemId", itemId)
						.query(LinkedItems::item)
						.optional());
	}

	/**
	 * The user's items whose data counts in the portfolio (ACTIVE or NEEDS_USER), oldest
	 * link first.
	 */
	public List<ItemSummary> inPortfolio(UUID userId) {
		return this.session.read(userId, (jdbc) -> jdbc.sql("SELECT " + COLUMNS
				+ " FROM plaid_items WHERE user_id = :userId AND status IN ('ACTIVE', 'NEEDS_USER') ORDER BY created_at, id")
			.param("userId", userId)
			.query(LinkedItems::item)
			.list());
	}

	/** The ids of the user's ACTIVE items, in link order. */
	public List<String> activeItemIds(UUID userId) {
		return this.session.read(userId,
				(jdbc) -> jdbc
					.sql("SELECT item_id FROM plaid_items WHERE user_id = :userId AND status = 'ACTIVE' ORDER BY id")
					.param("userId", userId)
					.query(String.class)
					.list());
	}

	/** The user's items that wait for the user (NEEDS_USER), in link order. */
	public List<ItemNeedingUser> needingUser(UUID userId) {
		return this.session.read(userId, (jdbc) -> jdbc.sql(
				"SELECT item_id, status_reason FROM plaid_items WHERE user_id = :userId AND status = 'NEEDS_USER' ORDER BY id")
			.param("userId", userId)
			.query((row, number) -> new ItemNeedingUser(row.getString(1), row.getString(2)))
			.list());
	}

	/**
	 * When the stored holdings of the user's stalest ACTIVE item are from (Plaid's as-of,
	 * else the sync time).
	 */
	public Optional<OffsetDateTime> oldestActiveHoldingsAsOf(UUID userId) {
		return this.session.read(userId, (jdbc) -> jdbc.sql(
				"SELECT min(coalesce(holdings_as_of, holdings_synced_at)) FROM plaid_items WHERE user_id = :userId AND status = 'ACTIVE'")
			.param("userId", userId)
			.query(OffsetDateTime.class)
			.optional());
	}

	/**
	 * When the stored holdings of one of the user's items are from (Plaid's as-of, else
	 * the sync time).
	 */
	public Optional<OffsetDateTime> holdingsAsOf(UUID userId, String itemId) {
		return this.session.read(userId, (jdbc) -> jdbc.sql(
				"SELECT coalesce(holdings_as_of, holdings_synced_at) FROM plaid_items WHERE user_id = :userId AND item_id = :itemId")
			.param("userId", userId)
			.param("itemId", itemId)
			.query(OffsetDateTime.class)
			.optional());
	}

	/**
	 * Every item of the user, removed ones too, with when its transactions were last
	 * synced (null: never).
	 */
	public Map<String, OffsetDateTime> transactionsSyncedAt(UUID userId) {
		return this.session.read(userId, (jdbc) -> {
			Map<String, OffsetDateTime> synced = new HashMap<>();
			jdbc.sql("SELECT item_id, transactions_synced_at FROM plaid_items WHERE user_id = :userId")
				.param("userId", userId)
				.query((row) -> {
					synced.put(row.getString(1), row.getObject(2, OffsetDateTime.class));
				});
			return synced;
		});
	}

	/** For operators: the institution name of each of these items that exists. */
	public Map<String, String> institutionNames(Collection<String> itemIds) {
		Map<String, String> names = new HashMap<>();
		this.jdbc.sql("SELECT item_id, institution_name FROM plaid_items WHERE item_id = ANY (:ids)")
			.param("ids", itemIds.toArray(String[]::new))
			.query((row) -> {
				names.put(row.getString(1), row.getString(2));
			});
		return names;
	}

	private static ItemSummary item(ResultSet row, int number) throws SQLException {
		return new ItemSummary(row.getString("item_id"), row.getString("institution_id"),
				row.getString("institution_name"), row.getString("status"), row.getString("status_reason"),
				row.getObject("status_changed_at", OffsetDateTime.class),
				row.getObject("holdings_synced_at", OffsetDateTime.class),
				row.getObject("holdings_as_of", OffsetDateTime.class),
				row.getObject("transactions_synced_at", OffsetDateTime.class),
				row.getObject("transactions_full_synced_at", OffsetDateTime.class),
				row.getObject("balances_synced_at", OffsetDateTime.class),
				row.getObject("consent_expiration_at", OffsetDateTime.class),
				row.getObject("pending_disconnect_at", OffsetDateTime.class),
				row.getString("pending_disconnect_reason"),
				row.getObject("new_accounts_available_at", OffsetDateTime.class),
				row.getBoolean("is_investments_fallback_item"), row.getString("last_error_code"),
				row.getString("last_error_message"), row.getObject("last_error_at", OffsetDateTime.class),
				row.getObject("created_at", OffsetDateTime.class));
	}

}
