package dev.plaidsync.sync;

import java.util.UUID;

/**
 * A sync of one item failed for the item's own reasons (Plaid's code for it, or data the
 * database refused). Published in the transaction that records the failure on the item,
 * by the sync writers' failure records, its one publisher.
 *
 * @param job the job that failed the item ({@code holdingsSyncJob}, ...)
 * @param kind how Plaid's failure was classified ({@code TRANSIENT},
 * {@code ITEM_NEEDS_USER}, ...; {@code UNSTORABLE} for refused data)
 * @param willRetry whether a follow-up run of the item is scheduled
 */
public record ItemSyncFailed(String itemId, UUID userId, String job, String errorCode, String kind, boolean willRetry) {
}
