package dev.plaidsync.webhooks;

import java.util.Optional;
import java.util.UUID;

import dev.plaidsync.items.ItemOwners;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Processes a stored event again, for operators: a copy of it enters the inbox as
 * RECEIVED, marked as a replay of the original (which stays as it was, for the record),
 * and any node's claimer dispatches it within seconds.
 */
@Component
public class WebhookReplay {

	private final JdbcClient jdbc;

	private final ItemOwners itemOwners;

	WebhookReplay(JdbcClient jdbc, ItemOwners itemOwners) {
		this.jdbc = jdbc;
		this.itemOwners = itemOwners;
	}

	/**
	 * @return the id of the replayed copy
	 * @throws IllegalStateException when the event is still being processed, was ignored,
	 * or its item is unknown
	 */
	public Optional<UUID> replay(UUID eventId, String requestedBy) {
		Optional<ReplayableEvent> event = this.jdbc
			.sql("SELECT status, status_reason, item_id FROM plaid_webhook_events WHERE id = :id")
			.param("id", eventId)
			.query((row, number) -> new ReplayableEvent(row.getString(1), row.getString(2), row.getString(3)))
			.optional();
		if (event.isEmpty()) {
			return Optional.empty();
		}
		String status = event.get().status();
		if ("RECEIVED".equals(status) || "LAUNCHED".equals(status)) {
			throw new IllegalStateException(
					"Event " + eventId + " is still being processed (" + status + "); replay it once it has ended");
		}
		if ("IGNORED".equals(status)) {
			throw new IllegalStateException("Event " + eventId + " was ignored (" + event.get().statusReason()
					+ "); ignored events are never dispatched");
		}
		Optional<UUID> owner = this.itemOwners.ownerOf(event.get().itemId());
		if (owner.isEmpty()) {
			throw new IllegalStateException(
					"Event " + eventId + " is for an item this engine does not know; link the item first");
		}
		UUID replayId = UUID.randomUUID();
		this.jdbc
			.sql("""
					INSERT INTO plaid_webhook_events (id, webhook_type, webhook_code, item_id, user_id, raw_webhook_data, environment,
					    verification, verification_key_id, body_sha256, status, status_reason)
					SELECT :replayId, e.webhook_type, e.webhook_code, e.item_id, :userId, e.raw_webhook_data, e.environment,
					    'REPLAY of ' || e.id, e.verification_key_id, e.body_sha256 || ':replay:' || :replayId, 'RECEIVED',
					    'replay of ' || e.id || ' requested by ' || :requestedBy
					FROM plaid_webhook_events e
					WHERE e.id = :id
					""")
			.param("replayId", replayId)
			.param("id", eventId)
			.param("userId", owner.get())
			.param("requestedBy", requestedBy)
			.update();
		return Optional.of(replayId);
	}

	private record ReplayableEvent(String status, String statusReason, String itemId) {
	}

}
