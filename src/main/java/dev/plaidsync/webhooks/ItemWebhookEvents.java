package dev.plaidsync.webhooks;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The webhooks Plaid sent about one item, for the operators' item timeline: newest first
 * through {@code idx_webhook_events_item_id}, without their bodies. Read-only.
 */
@Component
public class ItemWebhookEvents {

	private final JdbcClient jdbc;

	ItemWebhookEvents(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The item's newest {@code limit} webhook events. */
	public List<ItemWebhookEvent> newest(String itemId, int limit) {
		return this.jdbc.sql("""
				SELECT id, webhook_type, webhook_code, status, status_reason, error_message, created_at, processed_at,
				       job_execution_id
				FROM plaid_webhook_events WHERE item_id = :itemId ORDER BY created_at DESC LIMIT :limit
				""").param("itemId", itemId).param("limit", limit).query(ItemWebhookEvent.class).list();
	}

	/**
	 * One webhook event: what Plaid said ({@code webhookType}/{@code webhookCode}), and
	 * how it ended here ({@code status}, with why and the execution it launched).
	 */
	public record ItemWebhookEvent(UUID id, String webhookType, String webhookCode, String status,
			@Nullable String statusReason, @Nullable String errorMessage, OffsetDateTime createdAt,
			@Nullable OffsetDateTime processedAt, @Nullable Long jobExecutionId) {
	}

}
