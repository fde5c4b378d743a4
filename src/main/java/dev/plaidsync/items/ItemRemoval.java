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
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ends an Item: {@code /item/remove} at Plaid (which stops Plaid's monthly billing for
 * it), then its accounts, holdings and transactions are deleted, its access token and
 * account masks wiped, and its webhook events' bodies redacted ({@link ItemErasure}), all
 * in one transaction. The item row stays, REMOVED, and its webhook events stay for audit
 * without their bodies. Idempotent: an item Plaid no longer knows is removed here all the
 * same.
 */
@NamedInterface({ "users", "operations" })
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
	 * @return the item's owner, or empty when no such item exists or it was already
	 * removed
	 * @throws PlaidRequestFailed when Plaid could not remove it (the item is left as it
	 * was, so the call can be repeated)
	 * @throws AccessTokenUnreadable when its access token cannot be decrypted, so Plaid
	 * cannot be asked to remove it: the item is left as it was, since it may still be
	 * live (and billed) at Plaid; {@code keyId()} names the key
	 * {@code PLAIDSYNC_TOKEN_KEY} must list again
	 */
	public Optional<UUID> remove(String itemId, String reason) {
		Optional<UUID> owner = this.jdbc
			.sql("SELECT user_id FROM plaid_items WHERE item_id = :item AND status <> 'REMOVED'")
			.param("item", itemId)
			.query(UUID.class)
			.optional();
		if (owner.isEmpty()) {
			return owner;
		}
		try {
			ItemAccess access = this.credentials.find(itemId).orElseThrow();
			this.plaid.removeItem(access, CallPriority.INTERACTIVE);
		}
		catch (PlaidFailure failure) {
			if (!ALREADY_GONE_AT_PLAID.contains(failure.errorCode())) {
				throw PlaidRequestFailed.of(failure);
			}
			log.info("Item {} was already gone at Plaid ({}); removing it here", itemId, failure.errorCode());
		}
		this.transaction.executeWithoutResult((status) -> deleteData(itemId, owner.get(), reason));
		log.info("Removed item {} ({})", itemId, reason);
		return owner;
	}

	/**
	 * The item row is marked REMOVED first, which takes its row lock: a sync writer that
	 * locked it earlier commits before this goes on (and its rows are deleted below), and
	 * one that locks it later sees REMOVED and writes nothing. The synced holdings and
	 * transactions are deleted by their owner, {@code sync}, and the webhook bodies
	 * redacted by {@code webhooks}, both listening synchronously to {@link ItemErasure},
	 * in this transaction; then the accounts go. {@link ItemRemoved} is stored with the
	 * deletion and delivered after its commit.
	 */
	private void deleteData(String itemId, UUID owner, String reason) {
		this.jdbc.sql("""
				WITH changed AS (
				    UPDATE plaid_items SET status = 'REMOVED', status_reason = :reason, status_changed_at = now(),
				        access_token_ciphertext = '\\x'::bytea, account_masks = NULL, updated_at = now()
				    FROM plaid_items before
				    WHERE before.id = plaid_items.id AND plaid_items.item_id = :item
				    RETURNING plaid_items.item_id, before.status AS from_status
				)
				INSERT INTO item_status_history (item_id, from_status, to_status, reason)
				SELECT item_id, from_status, 'REMOVED', :reason FROM changed WHERE from_status <> 'REMOVED'
				""").param("item", itemId).param("reason", reason).update();
		this.events.publishEvent(new ItemErasure(itemId, owner));
		this.jdbc.sql("DELETE FROM user_investment_accounts WHERE item_id = :item").param("item", itemId).update();
		this.events.publishEvent(new ItemRemoved(itemId, owner));
	}

}
