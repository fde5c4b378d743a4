package dev.plaidsync.notifications;

import java.util.List;

/** The outgoing events' {@code type}s (docs/notifications.md has their payloads). */
final class EventType {

	static final String PORTFOLIO_UPDATED = "portfolio.updated";

	static final String ITEM_STATUS_CHANGED = "item.status_changed";

	static final String ITEM_REMOVED = "item.removed";

	static final String USER_DELETED = "user.deleted";

	static final String SYNC_FAILED = "sync.failed";

	static final String RECONCILIATION_BREAK = "reconciliation.break";

	static final List<String> ALL = List.of(PORTFOLIO_UPDATED, ITEM_STATUS_CHANGED, ITEM_REMOVED, USER_DELETED,
			SYNC_FAILED, RECONCILIATION_BREAK);

	private EventType() {
	}

}
