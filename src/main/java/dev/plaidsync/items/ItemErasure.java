package dev.plaidsync.items;

import java.util.UUID;

import org.springframework.modulith.NamedInterface;

/**
 * An Item's data is being deleted, inside the removal's transaction, after the item row
 * was marked REMOVED (which holds its row lock) and before its accounts are deleted:
 * modules that keep anything of the item's (synced holdings and transactions, webhook
 * bodies) delete or redact it in the same transaction, from a synchronous listener.
 * {@link ItemRemoval} is its one publisher.
 */
@NamedInterface("events")
public record ItemErasure(String itemId, UUID userId) {
}
