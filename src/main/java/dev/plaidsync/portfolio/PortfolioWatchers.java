package dev.plaidsync.portfolio;

import java.time.Duration;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.plaidsync.items.LinkedItems;
import dev.plaidsync.sync.WatchedItems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Tells sync which users are watching: a portfolio read, or a stream open on this
 * replica, marks the user's items watched for {@code plaidsync.api.watch-window}, so
 * their webhook runs start ahead of other webhooks' runs. Each user is marked at most
 * once a minute per replica; open streams are marked again every minute.
 */
@Component
class PortfolioWatchers {

	private static final Logger log = LoggerFactory.getLogger(PortfolioWatchers.class);

	private static final Duration REMARK_AFTER = Duration.ofMinutes(1);

	private final Cache<UUID, Boolean> recentlyMarked = Caffeine.newBuilder()
		.expireAfterWrite(REMARK_AFTER)
		.maximumSize(200_000)
		.build();

	private final WatchedItems watched;

	private final LinkedItems items;

	private final PortfolioStreams streams;

	private final Duration window;

	PortfolioWatchers(WatchedItems watched, LinkedItems items, PortfolioStreams streams, UserApiProperties properties) {
		this.watched = watched;
		this.items = items;
		this.streams = streams;
		this.window = properties.watchWindow();
	}

	/** The user is looking at their portfolio now. */
	void watching(UUID userId) {
		if (this.recentlyMarked.asMap().putIfAbsent(userId, Boolean.TRUE) == null) {
			mark(userId);
		}
	}

	@Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
	void streamsStillOpen() {
		this.streams.watchingUsers().forEach((userId) -> {
			this.recentlyMarked.put(userId, Boolean.TRUE);
			mark(userId);
		});
	}

	private void mark(UUID userId) {
		try {
			this.watched.watching(this.items.activeItemIds(userId), this.window);
		}
		catch (DataAccessException ex) {
			this.recentlyMarked.invalidate(userId);
			log.debug("Could not mark user {}'s items watched now: {}", userId, ex.getMessage());
		}
	}

}
