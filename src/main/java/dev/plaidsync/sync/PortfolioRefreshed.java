package dev.plaidsync.sync;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A sync wrote new data for this user. Published in the chunk's transaction (by the sync
 * writers' {@code ChunkSettlement}, its one publisher) and delivered to
 * {@code @ApplicationModuleListener}s after the commit.
 *
 * @param items the user's items the chunk wrote, each with the investment accounts in
 * Plaid's answer
 * @param product what was synced: {@code holdings}, {@code transactions} or
 * {@code balances} (null only in publications stored before it was recorded)
 * @param asOf when the newest of the data was fetched from Plaid
 */
public record PortfolioRefreshed(UUID userId, List<RefreshedItem> items, @Nullable String product,
		@Nullable Instant asOf) {

	public PortfolioRefreshed {
		items = (items != null) ? List.copyOf(items) : List.of();
	}

	public PortfolioRefreshed(UUID userId) {
		this(userId, List.of(), null, null);
	}

	/** One item the sync wrote, with its investment accounts in Plaid's answer. */
	public record RefreshedItem(String itemId, List<String> accountIds, Instant fetchedAt) {

		public RefreshedItem {
			accountIds = (accountIds != null) ? List.copyOf(accountIds) : List.of();
		}

	}

}
