package dev.plaidsync.items;

import java.util.UUID;

import org.springframework.modulith.NamedInterface;

/**
 * A new Item was linked and its access token stored; its first syncs are due. Published
 * in the transaction that stores the item ({@link ItemLinking} is its one publisher),
 * delivered to {@code @ApplicationModuleListener}s after the commit.
 */
@NamedInterface("events")
public record ItemLinked(String itemId, UUID userId) {
}
