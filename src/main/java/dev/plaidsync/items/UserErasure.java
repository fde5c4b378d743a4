package dev.plaidsync.items;

import java.util.UUID;

import org.springframework.modulith.NamedInterface;

/**
 * A user is being deleted, inside the deletion's transaction, after each of their items
 * was removed: modules that keep anything of the user's delete or redact it in the same
 * transaction, from a synchronous listener.
 */
@NamedInterface("events")
public record UserErasure(UUID userId) {
}
