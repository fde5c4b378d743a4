package dev.plaidsync.sync;

import java.util.UUID;

/**
 * A sync wrote new data for this user. Published in the chunk's transaction (by the sync
 * writers' {@code ChunkSettlement}, its one publisher) and delivered to
 * {@code @ApplicationModuleListener}s after the commit.
 */
public record PortfolioRefreshed(UUID userId) {
}
