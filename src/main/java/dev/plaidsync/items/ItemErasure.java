package dev.plaidsync.items;

import java.util.UUID;

/**
 * An Item's data is being deleted, inside the removal's transaction: modules that keep anything of the item's
 * (webhook bodies) delete or redact it in the same transaction, from a synchronous listener.
 */
public record ItemErasure(String itemId, UUID userId) {
}
