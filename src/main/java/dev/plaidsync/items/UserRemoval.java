package dev.plaidsync.items;

import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes a user: every Item is removed the way {@link ItemRemoval} removes one (at Plaid
 * first, so that billing stops), then the user row goes, and with it every item row,
 * account, holding and transaction. Webhook events stay for audit, their owner cleared
 * and their bodies redacted ({@link UserErasure}). Idempotent: a failure at Plaid leaves
 * the user in place, so the call can be repeated.
 */
@NamedInterface("users")
@Component
public class UserRemoval {

	private static final Logger log = LoggerFactory.getLogger(UserRemoval.class);

	private final ItemRemoval itemRemoval;

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final ApplicationEventPublisher events;

	UserRemoval(ItemRemoval itemRemoval, JdbcClient jdbc, TransactionTemplate transaction,
			ApplicationEventPublisher events) {
		this.itemRemoval = itemRemoval;
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.events = events;
	}

	/**
	 * @return how many items were removed
	 * @throws PlaidRequestFailed when Plaid could not remove one of the items; the user
	 * and the items not yet removed stay
	 */
	public int remove(UUID userId) {
		List<String> items = this.jdbc
			.sql("SELECT item_id FROM plaid_items WHERE user_id = :userId AND status <> 'REMOVED' ORDER BY id")
			.param("userId", userId)
			.query(String.class)
			.list();
		items.forEach((itemId) -> this.itemRemoval.remove(itemId, "USER_DELETED"));
		this.transaction.executeWithoutResult((status) -> {
			this.events.publishEvent(new UserErasure(userId));
			this.jdbc.sql("DELETE FROM app_users WHERE id = :userId").param("userId", userId).update();
		});
		log.info("Deleted user {} and their {} item(s)", userId, items.size());
		return items.size();
	}

}
