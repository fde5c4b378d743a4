package dev.plaidsync.sync.pipeline;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.items.ItemSyncMarkers;
import dev.plaidsync.items.SyncedProduct;
import dev.plaidsync.sync.PortfolioRefreshed;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What every sync writer does around its own data, in the chunk's transaction: locks the
 * chunk's items (in item id order, then securities by id, so that concurrent runs never
 * deadlock) and drops snapshots older than what is stored; takes the items synced off the
 * follow-up list, records the failed ones, and tells the rest of the engine whose
 * portfolios changed.
 */
@Component
public class ChunkSettlement {

	private final ItemSyncMarkers itemMarkers;

	private final ItemRetryList retries;

	private final ItemFailures failures;

	private final ApplicationEventPublisher events;

	private final JdbcClient jdbc;

	ChunkSettlement(ItemSyncMarkers itemMarkers, ItemRetryList retries, ItemFailures failures,
			ApplicationEventPublisher events, JdbcClient jdbc) {
		this.itemMarkers = itemMarkers;
		this.retries = retries;
		this.failures = failures;
		this.events = events;
		this.jdbc = jdbc;
	}

	/**
	 * Locks every item of a chunk, in item id order, and returns the snapshots not older
	 * than what is stored: a snapshot fetched before the item's last recorded sync of
	 * this product is dropped.
	 */
	<T> List<FetchOutcome.Fetched<T>> lockAndKeepFresh(List<String> chunkItemIds, List<FetchOutcome.Fetched<T>> fetched,
			String syncedAtColumn) {
		if (chunkItemIds.isEmpty()) {
			return fetched;
		}
		// A removed item's snapshot is dropped: it was fetched before the removal, which
		// deleted the item's rows.
		Map<String, OffsetDateTime> storedSyncs = this.itemMarkers.lockForSync(chunkItemIds,
				SyncedProduct.ofSyncedAtColumn(syncedAtColumn));
		return fetched.stream().filter((outcome) -> {
			if (!storedSyncs.containsKey(outcome.item().itemId())) {
				return false;
			}
			OffsetDateTime stored = storedSyncs.get(outcome.item().itemId());
			return stored == null || !outcome.fetchedAt().isBefore(stored.toInstant());
		}).toList();
	}

	/**
	 * The items in the run's scope after {@code afterId}: a step's total, counted from
	 * where it resumes.
	 */
	long countRemaining(String syncedAtColumn, SyncItemReaders.RunScope scope, long afterId) {
		return SyncItemReaders.countRemaining(this.jdbc, syncedAtColumn, scope, afterId);
	}

	/**
	 * The items synced: nothing is left to retry for them (see
	 * {@link ItemRetryList#clear}).
	 */
	void synced(String jobName, Collection<String> itemIds) {
		this.retries.clear(jobName, itemIds);
	}

	/** See {@link ItemFailures#record}. */
	void failed(long jobExecutionId, String jobName, FetchOutcome.Failed<?> failure, boolean sweep) {
		this.failures.record(jobExecutionId, jobName, failure, sweep);
	}

	/** See {@link ItemFailures#recordUnstorable}. */
	void unstorable(long jobExecutionId, String jobName, SyncItem item, Throwable failure) {
		this.failures.recordUnstorable(jobExecutionId, jobName, item, failure);
	}

	/**
	 * Tells the rest of the engine whose portfolios the chunk changed:
	 * {@link PortfolioRefreshed} is stored in the chunk's transaction and delivered after
	 * its commit, even if this node dies right after it.
	 */
	void portfoliosRefreshed(SyncedProduct product, List<PortfolioRefreshed.RefreshedItem> items,
			Map<String, UUID> owners) {
		Map<UUID, List<PortfolioRefreshed.RefreshedItem>> byUser = new LinkedHashMap<>();
		for (PortfolioRefreshed.RefreshedItem item : items) {
			byUser.computeIfAbsent(owners.get(item.itemId()), (user) -> new ArrayList<>()).add(item);
		}
		byUser.forEach((user, written) -> this.events
			.publishEvent(new PortfolioRefreshed(user, written, product.name().toLowerCase(Locale.ROOT),
					written.stream()
						.map(PortfolioRefreshed.RefreshedItem::fetchedAt)
						.max(Instant::compareTo)
						.orElse(null))));
	}

}
