package dev.plaidsync.webhooks.internal;

import dev.plaidsync.items.ItemErasure;
import dev.plaidsync.items.UserErasure;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Deleting an item or a user deletes what its webhooks said: the stored bodies (account
 * ids, error messages, the raw JSON) are replaced by {@code {}} in the removal's own
 * transaction, so the deletion commits whole or not at all. The event rows stay, with
 * type, code, status and hash, for audit and duplicate detection.
 * <p>
 * These two, and {@code sync}'s erasure of the synced rows, are the engine's only
 * synchronous listeners of another module's events, on purpose: they are part of the
 * removal's transaction, not told of it afterwards. An {@code @ApplicationModuleListener}
 * would run after the commit, when a deleted user's events no longer name the user
 * ({@code ON DELETE SET NULL}).
 */
@Component
class WebhookBodyErasure {

	private final JdbcClient jdbc;

	WebhookBodyErasure(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@EventListener
	void itemErased(ItemErasure erasure) {
		this.jdbc.sql("""
				UPDATE plaid_webhook_events SET raw_webhook_data = '{}'::jsonb, error_message = NULL
				WHERE item_id = :itemId AND raw_webhook_data <> '{}'::jsonb
				""").param("itemId", erasure.itemId()).update();
	}

	@EventListener
	void userErased(UserErasure erasure) {
		this.jdbc.sql("""
				UPDATE plaid_webhook_events SET raw_webhook_data = '{}'::jsonb, error_message = NULL
				WHERE user_id = :userId AND raw_webhook_data <> '{}'::jsonb
				""").param("userId", erasure.userId()).update();
	}

}
