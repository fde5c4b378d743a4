package dev.plaidsync.notifications;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.plaidsync.items.ItemRemoved;
import dev.plaidsync.items.ItemStatusChanged;
import dev.plaidsync.items.UserErasure;
import dev.plaidsync.ledger.ReconciliationBreaksFound;
import dev.plaidsync.sync.ItemSyncFailed;
import dev.plaidsync.sync.PortfolioRefreshed;
import dev.plaidsync.sync.SyncJob;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Turns the engine's domain events into outgoing events. Every listener is synchronous:
 * it runs in the publisher's transaction, so the event is written with the change it
 * reports (see {@link NotificationOutbox}). The payloads are documented in
 * docs/notifications.md.
 */
@Component
class ChangeEvents {

	private final NotificationOutbox outbox;

	ChangeEvents(NotificationOutbox outbox) {
		this.outbox = outbox;
	}

	@EventListener
	void portfolioRefreshed(PortfolioRefreshed refreshed) {
		Map<String, Object> data = user(refreshed.userId().toString());
		data.put("items", refreshed.items().stream().map((item) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("item_id", item.itemId());
			entry.put("account_ids", item.accountIds());
			return entry;
		}).toList());
		data.put("account_ids", refreshed.items().stream().flatMap((item) -> item.accountIds().stream()).toList());
		data.put("products", (refreshed.product() != null) ? List.of(refreshed.product()) : List.of());
		data.put("as_of", (refreshed.asOf() != null) ? refreshed.asOf().toString() : null);
		this.outbox.append(refreshed.userId(), EventType.PORTFOLIO_UPDATED, data);
	}

	@EventListener
	void itemStatusChanged(ItemStatusChanged changed) {
		Map<String, Object> data = user(changed.userId().toString());
		data.put("item_id", changed.itemId());
		data.put("status", changed.status());
		data.put("previous_status", changed.previousStatus());
		data.put("error_code", changed.errorCode());
		data.put("user_action", changed.userAction());
		this.outbox.append(changed.userId(), EventType.ITEM_STATUS_CHANGED, data);
	}

	@EventListener
	void itemRemoved(ItemRemoved removed) {
		Map<String, Object> data = user(removed.userId().toString());
		data.put("item_id", removed.itemId());
		this.outbox.append(removed.userId(), EventType.ITEM_REMOVED, data);
	}

	@EventListener
	void userErased(UserErasure erasure) {
		this.outbox.eraseUser(erasure.userId(), user(erasure.userId().toString()));
	}

	@EventListener
	void itemSyncFailed(ItemSyncFailed failed) {
		Map<String, Object> data = user(failed.userId().toString());
		data.put("item_id", failed.itemId());
		data.put("product", product(failed.job()));
		data.put("error_code", failed.errorCode());
		data.put("kind", failed.kind());
		data.put("will_retry", failed.willRetry());
		this.outbox.append(failed.userId(), EventType.SYNC_FAILED, data);
	}

	@EventListener
	void reconciliationBreaks(ReconciliationBreaksFound found) {
		Map<String, Object> data = user(found.userId().toString());
		data.put("item_id", found.itemId());
		data.put("account_id", found.accountId());
		data.put("securities", found.breaks().stream().map((b) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("security_id", b.securityId());
			entry.put("from_day", b.fromDay().toString());
			entry.put("to_day", b.toDay().toString());
			entry.put("holdings_change", b.holdingsChange().toPlainString());
			entry.put("transactions_quantity", b.transactionsQuantity().toPlainString());
			entry.put("difference", b.difference().toPlainString());
			return entry;
		}).toList());
		this.outbox.append(found.userId(), EventType.RECONCILIATION_BREAK, data);
	}

	private static Map<String, Object> user(String userId) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("user_id", userId);
		return data;
	}

	private static String product(String job) {
		for (SyncJob syncJob : SyncJob.values()) {
			if (syncJob.jobName().equals(job)) {
				return syncJob.name().toLowerCase(Locale.ROOT);
			}
		}
		return job;
	}

}
