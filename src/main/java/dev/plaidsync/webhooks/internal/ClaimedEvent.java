package dev.plaidsync.webhooks.internal;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An event this node has claimed for dispatch: it alone may move it on from RECEIVED
 * until its lease ends.
 */
record ClaimedEvent(UUID id, String itemId, UUID userId, String bodySha256, OffsetDateTime createdAt, int attempts,
		String rawJson) {
}
