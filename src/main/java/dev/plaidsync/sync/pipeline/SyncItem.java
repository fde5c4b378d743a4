package dev.plaidsync.sync.pipeline;

import java.time.OffsetDateTime;
import java.util.UUID;

import dev.plaidsync.common.LogContext;
import org.jspecify.annotations.Nullable;

/**
 * One item as a sync reader sees it: enough to decrypt its token and to judge its
 * freshness.
 *
 * @param syncedAt when the job's product was last synced for this item
 */
public record SyncItem(long id, String itemId, @Nullable UUID userId, @Nullable String institutionId, String keyId,
		byte[] ciphertext, @Nullable OffsetDateTime syncedAt, @Nullable OffsetDateTime fullTransactionsSyncedAt) {

	/** Names this item and its user on the lines logged until the scope closes. */
	public LogContext.Scope logContext() {
		return LogContext.open().put(LogContext.ITEM_ID, this.itemId).put(LogContext.USER_ID, this.userId);
	}

}
