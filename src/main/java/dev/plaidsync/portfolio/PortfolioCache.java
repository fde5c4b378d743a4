package dev.plaidsync.portfolio;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Portfolio summaries per user, each kept up to {@code plaidsync.api.cache-ttl} (30 minutes, the seed's normal TTL).
 * A completed sync evicts its user's entry at once on every replica (see {@link PortfolioNotifications}), so an entry
 * is never older than the data it summarises by more than the time a notification takes to arrive. Thread-safe.
 */
@Component
class PortfolioCache {

	private final Map<UUID, Entry> entries = new ConcurrentHashMap<>();

	private final UserApiProperties properties;

	private final Clock clock = Clock.systemUTC();

	PortfolioCache(UserApiProperties properties) {
		this.properties = properties;
	}

	Map<String, Object> get(UUID userId, Supplier<Map<String, Object>> load) {
		Instant now = this.clock.instant();
		Entry entry = this.entries.get(userId);
		if (entry != null && entry.expiresAt().isAfter(now)) {
			return entry.summary();
		}
		Map<String, Object> summary = load.get();
		this.entries.put(userId, new Entry(summary, now.plus(this.properties.cacheTtl())));
		return summary;
	}

	void evict(UUID userId) {
		this.entries.remove(userId);
	}

	/** After the listener missed notifications (its connection dropped), nothing cached can be trusted. */
	void evictAll() {
		this.entries.clear();
	}

	@Scheduled(fixedDelayString = "PT5M")
	void dropExpired() {
		Instant now = this.clock.instant();
		this.entries.values().removeIf((entry) -> !entry.expiresAt().isAfter(now));
	}

	private record Entry(Map<String, Object> summary, Instant expiresAt) {
	}

}
