package dev.plaidsync.webhooks;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Processes a stored event again, for operators: a copy of it enters the inbox as RECEIVED, marked as a replay of the
 * original (which stays as it was, for the record), and any node's claimer dispatches it within seconds.
 */
@Component
public class WebhookReplay {

	private final JdbcClient jdbc;

	WebhookReplay(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @return the id of the replayed copy
	 * @throws IllegalStateException when the event is still being processed, was ignored, or its item is unknown
	 */
	public Optional<UUID> replay(UUID eventId, String requestedBy) {
		Optional<String[]> event = this.jdbc.sql("""
				SELECT e.status, e.status_reason, (SELECT count(*) FROM plaid_items i WHERE i.item_id = e.item_id)
				FROM plaid_webhook_events e WHERE e.id = :id
				""").param("id", eventId)
			.query((row, number) -> new String[] { row.getString(1), row.getString(2), row.getString(3) })
			.optional();
		if (event.isEmpty()) {
			return Optional.empty();
		}
		String status = event.get()[0];
		if ("RECEIVED".equals(status) || "LAUNCHED".equals(status)) {
			throw new IllegalStateException("Event " + eventId + " is still being processed (" + status + "); replay it once it has ended");
		}
		if ("IGNORED".equals(status)) {
			throw new IllegalStateException("Event " + eventId + " was ignored (" + event.get()[1] + "); ignored events are never dispatched");
		}
		if ("0".equals(event.get()[2])) {
			throw new IllegalStateException("Event " + eventId + " is for an item this engine does not know; link the item first");
		}
		UUID replayId = UUID.randomUUID();
		this.jdbc.sql("""
				INSERT INTO plaid_webhook_events (id, webhook_type, webhook_code, item_id, user_id, raw_webhook_data, environment,
				    verification, verification_key_id, body_sha256, status, status_reason)
				SELECT :replayId, e.webhook_type, e.webhook_code, e.item_id, i.user_id, e.raw_webhook_data, e.environment,
				    'REPLAY of ' || e.id, e.verification_key_id, e.body_sha256 || ':replay:' || :replayId, 'RECEIVED',
				    'replay of ' || e.id || ' requested by ' || :requestedBy
				FROM plaid_webhook_events e JOIN plaid_items i ON i.item_id = e.item_id
				WHERE e.id = :id
				""").param("replayId", replayId).param("id", eventId).param("requestedBy", requestedBy).update();
		return Optional.of(replayId);
	}

}
