package dev.plaidsync.portfolio;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.plaidsync.items.LinkedItems;
import dev.plaidsync.items.LinkedItems.ItemSummary;

import org.springframework.stereotype.Component;

/**
 * A user's items as the app sees them, read through {@link LinkedItems} (as the user,
 * under row-level security, and filtered by owner as well: two fences). Removed items are
 * gone from the user's point of view.
 */
@Component
class UserItems {

	private final LinkedItems items;

	UserItems(LinkedItems items) {
		this.items = items;
	}

	List<UserItem> list(UUID userId) {
		return this.items.ofUser(userId).stream().map(UserItems::view).toList();
	}

	/**
	 * The user's item, or empty for an unknown, removed or someone else's item id: all
	 * three look the same.
	 */
	Optional<UserItem> find(UUID userId, String itemId) {
		if (itemId == null || itemId.length() > 200) {
			return Optional.empty();
		}
		return this.items.find(userId, itemId).map(UserItems::view);
	}

	UserItem require(UUID userId, String itemId) {
		return find(userId, itemId).orElseThrow(() -> ApiException.unknownItem(itemId));
	}

	private static UserItem view(ItemSummary row) {
		String status = row.status();
		OffsetDateTime newAccounts = row.newAccountsAvailableAt();
		OffsetDateTime pendingDisconnect = row.pendingDisconnectAt();
		OffsetDateTime consentExpiration = row.consentExpirationAt();
		LastError lastError = (row.lastErrorCode() != null)
				? new LastError(row.lastErrorCode(), row.lastErrorMessage(), row.lastErrorAt()) : null;
		String action = switch (status) {
			case "NEEDS_USER" -> "RECONNECT";
			case "REVOKED", "BROKEN" -> "RELINK";
			default -> (pendingDisconnect != null || consentExpiration != null) ? "RECONNECT"
					: (newAccounts != null) ? "SHARE_NEW_ACCOUNTS" : null;
		};
		return new UserItem(row.itemId(), row.institutionId(), row.institutionName(), status, row.statusReason(),
				row.statusChangedAt(),
				new LastSynced(row.holdingsSyncedAt(), row.transactionsSyncedAt(), row.transactionsFullSyncedAt(),
						row.balancesSyncedAt()),
				row.holdingsAsOf(), pendingDisconnect, row.pendingDisconnectReason(), consentExpiration, newAccounts,
				row.investmentsFallback(), lastError, action != null, action, row.createdAt());
	}

	/**
	 * An item as {@code GET /api/plaid/items} shows it: its status, what the user must do
	 * about it, and when each kind of data was last synced.
	 */
	record UserItem(@JsonProperty("item_id") String itemId, @JsonProperty("institution_id") String institutionId,
			@JsonProperty("institution_name") String institutionName, String status,
			@JsonProperty("status_reason") String statusReason,
			@JsonProperty("status_changed_at") OffsetDateTime statusChangedAt,
			@JsonProperty("last_synced") LastSynced lastSynced,
			@JsonProperty("holdings_as_of") OffsetDateTime holdingsAsOf,
			@JsonProperty("pending_disconnect_at") OffsetDateTime pendingDisconnectAt,
			@JsonProperty("pending_disconnect_reason") String pendingDisconnectReason,
			@JsonProperty("consent_expiration_at") OffsetDateTime consentExpirationAt,
			@JsonProperty("new_accounts_available_at") OffsetDateTime newAccountsAvailableAt,
			@JsonProperty("manually_entered_holdings") boolean manuallyEnteredHoldings,
			@JsonProperty("last_error") LastError lastError,
			@JsonProperty("user_action_required") boolean userActionRequired,
			@JsonProperty("user_action") String userAction, @JsonProperty("linked_at") OffsetDateTime linkedAt) {
	}

	/**
	 * The answer to linking an item: the item, and its first sync {@code STARTED} or
	 * {@code ALREADY_REQUESTED}.
	 */
	record LinkedItemAnswer(@JsonUnwrapped UserItem item, @JsonProperty("first_sync") String firstSync) {
	}

	/** The answer to a repair: the item, and its sync {@code STARTED}. */
	record ReconnectedItemAnswer(@JsonUnwrapped UserItem item, String sync) {
	}

	/** When each kind of data was last synced (null: never). */
	record LastSynced(OffsetDateTime holdings, OffsetDateTime transactions,
			@JsonProperty("transactions_full_history") OffsetDateTime transactionsFullHistory,
			OffsetDateTime balances) {
	}

	/** The last Plaid error the item's syncs met. */
	record LastError(String code, String message, OffsetDateTime at) {
	}

	/** {@code GET /api/plaid/items}: the user's items that are not removed. */
	record UserItemList(List<UserItem> items) {
	}

}
