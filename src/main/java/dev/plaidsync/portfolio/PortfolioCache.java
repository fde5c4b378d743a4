package dev.plaidsync.portfolio;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.stereotype.Component;

/**
 * Portfolio summaries per user, each kept up to {@code plaidsync.api.cache-ttl} (30
 * minutes, the seed's normal TTL), at most {@value #MAX_ENTRIES} users (least recently
 * used go first). A completed sync evicts its user's entry at once on every replica (see
 * {@link PortfolioNotifications}), so an entry is never older than the data it summarises
 * by more than the time a notification takes to arrive.
 * <p>
 * Thread-safe, and safe against the load/evict race: a load that began before an eviction
 * never leaves its (stale) result cached after it. An eviction of one user waits for that
 * user's load in flight and then removes its result; {@link #evictAll()} starts a new
 * generation, and results loaded in an older one are never served.
 */
@Component
class PortfolioCache {

	static final int MAX_ENTRIES = 10_000;

	private final Cache<UUID, Entry> entries;

	private final AtomicLong generation = new AtomicLong();

	PortfolioCache(UserApiProperties properties) {
		this.entries = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterWrite(properties.cacheTtl()).build();
	}

	/**
	 * The user's cached summary, else the one {@code load} computes. The API caches
	 * {@link PortfolioSummary}; the type is the caller's, so one cache serves whatever a
	 * test loads as well.
	 */
	@SuppressWarnings("unchecked")
	<T> T get(UUID userId, Supplier<T> load) {
		long current = this.generation.get();
		Entry entry = this.entries.get(userId, (key) -> new Entry(load.get(), current));
		if (entry.generation() == current) {
			return (T) entry.summary();
		}
		this.entries.asMap().remove(userId, entry);
		return (T) this.entries.get(userId, (key) -> new Entry(load.get(), this.generation.get())).summary();
	}

	void evict(UUID userId) {
		this.entries.invalidate(userId);
	}

	/**
	 * After the listener missed notifications (its connection dropped), nothing cached
	 * can be trusted.
	 */
	void evictAll() {
		this.generation.incrementAndGet();
		this.entries.invalidateAll();
	}

	long size() {
		this.entries.cleanUp();
		return this.entries.estimatedSize();
	}

	private record Entry(Object summary, long generation) {
	}

}
