package dev.plaidsync.portfolio;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.plaidsync.common.UserScopedSession;

import org.springframework.stereotype.Component;

/**
 * A user's items as the app sees them, read in the user-scoped session and filtered by owner as well: two fences.
 * Removed items are gone from the user's point of view.
 */
@Component
class UserItems {

	private static final String COLUMNS = """
			item_id, institution_id, institution_name, status, status_reason, status_changed_at, holdings_synced_at,
			holdings_as_of, transactions_synced_at, transactions_full_synced_at, balances_synced_at, consent_expiration_at,
			pending_disconnect_at, pending_disconnect_reason, new_accounts_available_at, is_investments_fallback_item,
			last_error_code, last_error_message, last_error_at, created_at
			""";

	private final UserScopedSession session;

	UserItems(UserScopedSession session) {
		this.session = session;
	}

	List<Map<String, Object>> list(UUID userId) {
		return this.session.read(userId, (jdbc) -> jdbc
			.sql("SELECT " + COLUMNS + " FROM plaid_items WHERE user_id = :userId AND status <> 'REMOVED' ORDER BY created_at, id")
			.param("userId", userId)
			.query((row, number) -> view(row))
			.list());
	}

	/** The user's item, or empty for an unknown, removed or someone else's item id: all three look the same. */
	Optional<Map<String, Object>> find(UUID userId, String itemId) {
		if (itemId == null || itemId.length() > 200) {
			return Optional.empty();
		}
		return this.session.read(userId, (jdbc) -> jdbc
			.sql("SELECT " + COLUMNS + " FROM plaid_items WHERE user_id = :userId AND item_id = :itemId AND status <> 'REMOVED'")
			.param("userId", userId)
			.param("itemId", itemId)
			.query((row, number) -> view(row))
			.optional());
	}

	Map<String, Object> require(UUID userId, String itemId) {
		return find(userId, itemId).orElseThrow(() -> ApiException.unknownItem(itemId));
	}

	private static Map<String, Object> view(ResultSet row) throws SQLException {
		String status = row.getString("status");
		OffsetDateTime newAccounts = row.getObject("new_accounts_available_at", OffsetDateTime.class);
		OffsetDateTime pendingDisconnect = row.getObject("pending_disconnect_at", OffsetDateTime.class);
		OffsetDateTime consentExpiration = row.getObject("consent_expiration_at", OffsetDateTime.class);
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("item_id", row.getString("item_id"));
		item.put("institution_id", row.getString("institution_id"));
		item.put("institution_name", row.getString("institution_name"));
		item.put("status", status);
		item.put("status_reason", row.getString("status_reason"));
		item.put("status_changed_at", row.getObject("status_changed_at", OffsetDateTime.class));
		Map<String, Object> lastSynced = new LinkedHashMap<>();
		lastSynced.put("holdings", row.getObject("holdings_synced_at", OffsetDateTime.class));
		lastSynced.put("transactions", row.getObject("transactions_synced_at", OffsetDateTime.class));
		lastSynced.put("transactions_full_history", row.getObject("transactions_full_synced_at", OffsetDateTime.class));
		lastSynced.put("balances", row.getObject("balances_synced_at", OffsetDateTime.class));
		item.put("last_synced", lastSynced);
		item.put("holdings_as_of", row.getObject("holdings_as_of", OffsetDateTime.class));
		item.put("pending_disconnect_at", pendingDisconnect);
		item.put("pending_disconnect_reason", row.getString("pending_disconnect_reason"));
		item.put("consent_expiration_at", consentExpiration);
		item.put("new_accounts_available_at", newAccounts);
		item.put("manually_entered_holdings", row.getBoolean("is_investments_fallback_item"));
		Map<String, Object> lastError = null;
		if (row.getString("last_error_code") != null) {
			lastError = new LinkedHashMap<>();
			lastError.put("code", row.getString("last_error_code"));
			lastError.put("message", row.getString("last_error_message"));
			lastError.put("at", row.getObject("last_error_at", OffsetDateTime.class));
		}
		item.put("last_error", lastError);
		String action = switch (status) {
			case "NEEDS_USER" -> "RECONNECT";
			case "REVOKED", "BROKEN" -> "RELINK";
			default -> (pendingDisconnect != null || consentExpiration != null) ? "RECONNECT"
					: (newAccounts != null) ? "SHARE_NEW_ACCOUNTS" : null;
		};
		item.put("user_action_required", action != null);
		item.put("user_action", action);
		item.put("linked_at", row.getObject("created_at", OffsetDateTime.class));
		return item;
	}

}
