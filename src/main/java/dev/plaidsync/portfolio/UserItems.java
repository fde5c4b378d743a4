package dev.plaidsync.portfolio;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.plaidsync.items.LinkedItems;
import dev.plaidsync.items.LinkedItems.LinkedItem;

import org.springframework.stereotype.Component;

/**
 * A user's items as the app sees them, read through {@link LinkedItems} (as the user, under row-level security, and
 * filtered by owner as well: two fences). Removed items are gone from the user's point of view.
 */
@Component
class UserItems {

	private final LinkedItems items;

	UserItems(LinkedItems items) {
		this.items = items;
	}

	List<Map<String, Object>> list(UUID userId) {
		return this.items.ofUser(userId).stream().map(UserItems::view).toList();
	}

	/** The user's item, or empty for an unknown, removed or someone else's item id: all three look the same. */
	Optional<Map<String, Object>> find(UUID userId, String itemId) {
		if (itemId == null || itemId.length() > 200) {
			return Optional.empty();
		}
		return this.items.find(userId, itemId).map(UserItems::view);
	}

	Map<String, Object> require(UUID userId, String itemId) {
		return find(userId, itemId).orElseThrow(() -> ApiException.unknownItem(itemId));
	}

	private static Map<String, Object> view(LinkedItem row) {
		String status = row.status();
		OffsetDateTime newAccounts = row.newAccountsAvailableAt();
		OffsetDateTime pendingDisconnect = row.pendingDisconnectAt();
		OffsetDateTime consentExpiration = row.consentExpirationAt();
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("item_id", row.itemId());
		item.put("institution_id", row.institutionId());
		item.put("institution_name", row.institutionName());
		item.put("status", status);
		item.put("status_reason", row.statusReason());
		item.put("status_changed_at", row.statusChangedAt());
		Map<String, Object> lastSynced = new LinkedHashMap<>();
		lastSynced.put("holdings", row.holdingsSyncedAt());
		lastSynced.put("transactions", row.transactionsSyncedAt());
		lastSynced.put("transactions_full_history", row.transactionsFullSyncedAt());
		lastSynced.put("balances", row.balancesSyncedAt());
		item.put("last_synced", lastSynced);
		item.put("holdings_as_of", row.holdingsAsOf());
		item.put("pending_disconnect_at", pendingDisconnect);
		item.put("pending_disconnect_reason", row.pendingDisconnectReason());
		item.put("consent_expiration_at", consentExpiration);
		item.put("new_accounts_available_at", newAccounts);
		item.put("manually_entered_holdings", row.investmentsFallback());
		Map<String, Object> lastError = null;
		if (row.lastErrorCode() != null) {
			lastError = new LinkedHashMap<>();
			lastError.put("code", row.lastErrorCode());
			lastError.put("message", row.lastErrorMessage());
			lastError.put("at", row.lastErrorAt());
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
		item.put("linked_at", row.createdAt());
		return item;
	}

}
