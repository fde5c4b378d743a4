package dev.plaidsync.items;

import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.modulith.NamedInterface;

/**
 * An Item's status (or the Plaid code behind it) changed: ACTIVE, NEEDS_USER, BROKEN or
 * REVOKED ({@link ItemRemoved} reports removal). Published by {@link ItemStatusChanges},
 * its one publisher, in the transaction that changes the item's row.
 *
 * @param errorCode the Plaid code behind the status (null when ACTIVE)
 * @param userAction what the user must do about it, as {@code GET /api/plaid/items} says:
 * {@code RECONNECT} (Link in update mode), {@code RELINK} (link the institution again),
 * or null
 */
@NamedInterface("events")
public record ItemStatusChanged(String itemId, UUID userId, String status, @Nullable String previousStatus,
		@Nullable String errorCode, @Nullable String userAction) {

	static ItemStatusChanged of(String itemId, UUID userId, ItemStatus status, @Nullable String previousStatus,
			@Nullable String errorCode) {
		String action = switch (status) {
			case NEEDS_USER -> "RECONNECT";
			case REVOKED, BROKEN -> "RELINK";
			default -> null;
		};
		return new ItemStatusChanged(itemId, userId, status.name(), previousStatus, errorCode, action);
	}

}
