package dev.plaidsync.items;

import java.util.UUID;

/** A new Item was linked and its access token stored; its first syncs are due. */
public record ItemLinked(String itemId, UUID userId) {
}
