package dev.plaidsync.portfolio;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.plaidsync.common.DatabaseNotifications;

import org.springframework.stereotype.Component;

/**
 * Hears "this user's portfolio changed" from every replica, on the shared LISTEN
 * connection ({@link DatabaseNotifications}): that user's cached summary is evicted and
 * their open streams on this replica get {@code portfolio-updated}. After the connection
 * was reopened, notifications sent in between are lost, so the whole cache is evicted and
 * every stream told to reload.
 */
@Component
class PortfolioNotifications implements DatabaseNotifications.Subscriber {

	private static final Logger log = LoggerFactory.getLogger(PortfolioNotifications.class);

	private final UserApiProperties properties;

	private final PortfolioCache cache;

	private final PortfolioStreams streams;

	PortfolioNotifications(UserApiProperties properties, PortfolioCache cache, PortfolioStreams streams) {
		this.properties = properties;
		this.cache = cache;
		this.streams = streams;
	}

	@Override
	public String channel() {
		return this.properties.notifyChannel();
	}

	@Override
	public void notified(String payload) {
		UUID userId;
		try {
			userId = UUID.fromString(payload);
		}
		catch (IllegalArgumentException ex) {
			log.debug("Ignored a portfolio notification that names no user: {}", payload);
			return;
		}
		this.cache.evict(userId);
		this.streams.push(userId);
	}

	@Override
	public void reconnected() {
		this.cache.evictAll();
		this.streams.pushToEveryone();
	}

}
