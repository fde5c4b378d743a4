package dev.plaidsync.items;

import java.util.UUID;

/** An Item that needed its user works again (update mode in the app, or LOGIN_REPAIRED); it should sync now. */
public record ItemRepaired(String itemId, UUID userId) {
}
