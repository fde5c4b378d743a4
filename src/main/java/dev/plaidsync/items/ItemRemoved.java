package dev.plaidsync.items;

import java.util.UUID;

/**
 * An Item was removed at Plaid and its data deleted. Published in the deleting transaction ({@link ItemRemoval} is its
 * one publisher), delivered after the commit.
 */
public record ItemRemoved(String itemId, UUID userId) {
}
