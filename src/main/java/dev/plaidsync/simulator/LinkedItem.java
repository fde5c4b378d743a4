package dev.plaidsync.simulator;

/**
 * An item created through the simulator, with both tokens.
 */
public record LinkedItem(String itemId, String accessToken, String publicToken) {
}
