package dev.plaidsync.items;

import java.util.UUID;

import org.springframework.modulith.NamedInterface;

/**
 * An Item was removed at Plaid and its data deleted. Published in the deleting
 * transaction ({@link ItemRemoval} is its one publisher), delivered after the commit.
 */
@NamedInterface("events")
public record ItemRemoved(String itemId, UUID userId) {
}
