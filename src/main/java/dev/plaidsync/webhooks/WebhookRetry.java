package dev.plaidsync.webhooks;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A webhook whose sync failed for a passing reason (the institution was down, a rate
 * limit, the run failed) and that waits to be dispatched again.
 *
 * @param retries retries scheduled so far
 * @param statusReason which retry of how many, after which code
 * ({@code plaidsync.webhooks.retry.*})
 * @param lastError Plaid's code and message from the last attempt
 */
public record WebhookRetry(UUID id, String webhookType, String webhookCode, String itemId, int retries,
		String statusReason, OffsetDateTime nextAttemptAt, String lastError, Long lastJobExecutionId,
		OffsetDateTime createdAt) {
}
