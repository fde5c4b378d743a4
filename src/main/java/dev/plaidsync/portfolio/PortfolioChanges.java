package dev.plaidsync.portfolio;

import java.util.UUID;

import dev.plaidsync.items.ItemLinked;
import dev.plaidsync.items.ItemRemoved;
import dev.plaidsync.sync.PortfolioRefreshed;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells every replica that a user's portfolio changed:
 * {@code NOTIFY plaidsync_portfolio, '<user id>'}. The sync publishes
 * {@link PortfolioRefreshed} with each chunk that wrote the user's data, wherever it ran;
 * after the commit this listener evicts the user's cached summary here and notifies, and
 * every replica's {@link PortfolioNotifications} hears it, evicts the user's entry and
 * pushes {@code portfolio-updated} to the user's streams. Each event arrives from the
 * event publication registry, in a transaction of its own: should the NOTIFY fail, or the
 * node die first, the publication is resubmitted.
 */
@Component
class PortfolioChanges {

	private final JdbcClient jdbc;

	private final PortfolioCache cache;

	private final UserApiProperties properties;

	PortfolioChanges(JdbcClient jdbc, PortfolioCache cache, UserApiProperties properties) {
		this.jdbc = jdbc;
		this.cache = cache;
		this.properties = properties;
	}

	@ApplicationModuleListener
	void portfolioRefreshed(PortfolioRefreshed refreshed) {
		changed(refreshed.userId());
	}

	@ApplicationModuleListener
	void itemLinked(ItemLinked linked) {
		changed(linked.userId());
	}

	@ApplicationModuleListener
	void itemRemoved(ItemRemoved removed) {
		changed(removed.userId());
	}

	private void changed(UUID userId) {
		this.cache.evict(userId);
		this.jdbc.sql("SELECT pg_notify(:channel, :userId)")
			.param("channel", this.properties.notifyChannel())
			.param("userId", userId.toString())
			.query()
			.listOfRows();
	}

}
