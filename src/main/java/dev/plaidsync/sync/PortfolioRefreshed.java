package dev.plaidsync.sync;

import java.util.UUID;

/** A sync wrote new data for this user; published after the chunk's transaction committed. */
public record PortfolioRefreshed(UUID userId) {
}
