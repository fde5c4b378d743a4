package dev.plaidsync.portfolio;

import java.util.UUID;

import dev.plaidsync.items.ItemLinked;
import dev.plaidsync.items.ItemRemoved;
import dev.plaidsync.sync.PortfolioRefreshed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tells every replica that a user's portfolio changed: {@code NOTIFY plaidsync_portfolio, '<user id>'}. The sync
 * publishes {@link PortfolioRefreshed} after each chunk commit that wrote the user's data, wherever it ran; every
 * replica's {@link PortfolioNotifications} hears it, evicts the user's cached summary and pushes
 * {@code portfolio-updated} to the user's streams. The local entry is evicted at once too, so this replica is right
 * even while its listener reconnects.
 */
@Component
class PortfolioChanges {

	private static final Logger log = LoggerFactory.getLogger(PortfolioChanges.class);

	private final JdbcClient jdbc;

	private final TransactionTemplate ownTransaction;

	private final PortfolioCache cache;

	private final UserApiProperties properties;

	PortfolioChanges(JdbcClient jdbc, PlatformTransactionManager transactionManager, PortfolioCache cache,
			UserApiProperties properties) {
		this.jdbc = jdbc;
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.cache = cache;
		this.properties = properties;
	}

	@EventListener
	void portfolioRefreshed(PortfolioRefreshed refreshed) {
		changed(refreshed.userId());
	}

	@EventListener
	void itemLinked(ItemLinked linked) {
		changed(linked.userId());
	}

	@EventListener
	void itemRemoved(ItemRemoved removed) {
		changed(removed.userId());
	}

	/**
	 * Runs in its own transaction: the event arrives in the sync's after-commit callback, where the chunk's connection
	 * is still bound but would never commit a NOTIFY.
	 */
	void changed(UUID userId) {
		this.cache.evict(userId);
		try {
			this.ownTransaction.executeWithoutResult((status) -> this.jdbc.sql("SELECT pg_notify(:channel, :userId)")
				.param("channel", this.properties.notifyChannel())
				.param("userId", userId.toString())
				.query()
				.listOfRows());
		}
		catch (RuntimeException ex) {
			log.warn("Could not notify other replicas that user {}'s portfolio changed: {}", userId, ex.getMessage());
		}
	}

}
