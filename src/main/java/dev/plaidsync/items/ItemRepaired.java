package dev.plaidsync.items;

import java.util.UUID;

import org.springframework.modulith.NamedInterface;

/**
 * An Item that needed its user works again (update mode in the app, LOGIN_REPAIRED, or
 * the item check); it should sync now. Published in the transaction that reactivates it
 * ({@link ItemStatusChanges#reactivate} is its one publisher), delivered after the
 * commit.
 */
@NamedInterface("events")
public record ItemRepaired(String itemId, UUID userId) {
}
