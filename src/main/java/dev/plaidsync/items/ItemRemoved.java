package dev.plaidsync.items;

import java.util.UUID;

/** An Item was removed at Plaid and its data deleted. */
public record ItemRemoved(String itemId, UUID userId) {
}
