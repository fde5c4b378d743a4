package dev.plaidsync.webhooks;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One stored webhook, as operators and its owner see it.
 *
 * @param status RECEIVED, LAUNCHED, DONE, FAILED, IGNORED or UNKNOWN_ITEM
 * @param statusReason why it has that status: the sync it launched, "coalesced: ...",
 * "duplicate of ...", the environment or code it was ignored for
 * @param success set when processing ended; null while RECEIVED or LAUNCHED
 * @param jobExecutionId the sync execution it launched, if one
 */
public record WebhookEvent(UUID id, String webhookType, String webhookCode, String itemId, UUID userId, String status,
		String statusReason, Boolean success, String errorMessage, Long jobExecutionId, OffsetDateTime createdAt,
		OffsetDateTime processedAt, Integer processingDurationMs) {
}
