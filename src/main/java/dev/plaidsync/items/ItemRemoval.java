package dev.plaidsync.items;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.plaidsync.plaid.CallPriority;
import dev.plaidsync.plaid.ItemAccess;
import dev.plaidsync.plaid.PlaidFailure;
import dev.plaidsync.plaid.PlaidGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ends an Item: {@code /item/remove} at Plaid (which stops Plaid's monthly billing for it), then its accounts,
 * holdings and transactions are deleted and its access token wiped. The item row stays, REMOVED, and its webhook
 * events stay for audit. Idempotent: an item Plaid no longer knows is removed here all the same.
 */
@Component
public class ItemRemoval {

	private static final Logger log = LoggerFactory.getLogger(ItemRemoval.class);

	private static final Set<String> ALREADY_GONE_AT_PLAID = Set.of("ITEM_NOT_FOUND", "INVALID_ACCESS_TOKEN");

	private final PlaidGateway plaid;

	private final ItemCredentials credentials;

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final ApplicationEventPublisher events;

	ItemRemoval(PlaidGateway plaid, ItemCredentials credentials, JdbcClient jdbc, TransactionTemplate transaction,
			ApplicationEventPublisher events) {
		this.plaid = plaid;
		this.credentials = credentials;
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.events = events;
	}

	/**
	 * @return the item's owner, or empty when no such item exists or it was already removed
	 * @throws PlaidFailure when Plaid could not remove it (the item is left as it was, so the call can be repeated)
	 */
	public Optional<UUID> remove(String itemId, String reason) {
		Optional<UUID> owner = this.jdbc.sql("SELECT user_id FROM plaid_items WHERE item_id = :item AND status <> 'REMOVED'")
			.param("item", itemId).query(UUID.class).optional();
		if (owner.isEmpty()) {
			return owner;
		}
		try {
			ItemAccess access = this.credentials.find(itemId).orElseThrow();
			this.plaid.removeItem(access, CallPriority.INTERACTIVE);
		}
		catch (PlaidFailure failure) {
			if (!ALREADY_GONE_AT_PLAID.contains(failure.errorCode())) {
				throw failure;
			}
			log.info("Item {} was already gone at Plaid ({}); removing it here", itemId, failure.errorCode());
		}
		catch (AccessTokenUnreadable unreadable) {
			log.warn("Item {} has an unreadable access token, so Plaid could not be asked to remove it: {}", itemId,
					unreadable.getMessage());
		}
		this.transaction.executeWithoutResult((status) -> deleteData(itemId, reason));
		log.info("Removed item {} ({})", itemId, reason);
		this.events.publishEvent(new ItemRemoved(itemId, owner.get()));
		return owner;
	}

	/** Under the item's row lock, as the sync writers take it: a chunk writing this item finishes first, or waits. */
	private void deleteData(String itemId, String reason) {
		this.jdbc.sql("SELECT id FROM plaid_items WHERE item_id = :item FOR UPDATE").param("item", itemId).query(Long.class)
			.optional();
		this.jdbc.sql("DELETE FROM holdings WHERE item_id = :item").param("item", itemId).update();
		this.jdbc.sql("DELETE FROM investment_transactions WHERE item_id = :item").param("item", itemId).update();
		this.jdbc.sql("DELETE FROM user_investment_accounts WHERE item_id = :item").param("item", itemId).update();
		this.jdbc.sql("""
				UPDATE plaid_items SET status = 'REMOVED', status_reason = :reason, status_changed_at = now(),
				    access_token_ciphertext = '\\x'::bytea, updated_at = now()
				WHERE item_id = :item
				""").param("item", itemId).param("reason", reason).update();
	}

}
