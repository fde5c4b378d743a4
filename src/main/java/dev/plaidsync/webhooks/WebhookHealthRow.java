package dev.plaidsync.webhooks;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * Webhook processing over the last 24 hours for one type and code
 * ({@code sql/monitoring/webhook_health.sql}).
 */
public record WebhookHealthRow(String webhookType, String webhookCode, long totalEvents, long successful, long failed,
		long inProgress, long ignored, long unknownItem, BigDecimal avgProcessingTimeMs, OffsetDateTime lastReceived) {
}
