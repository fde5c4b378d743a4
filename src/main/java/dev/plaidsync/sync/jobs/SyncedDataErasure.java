package dev.plaidsync.sync.jobs;

import dev.plaidsync.items.AccountErasure;
import dev.plaidsync.items.ItemErasure;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Removing an Item, or the user revoking one of its accounts, deletes the holdings and
 * investment transactions synced for it. {@code items} owns the removal and publishes the
 * erasure; {@code sync} owns these tables and deletes its rows here, synchronously, in
 * the removal's own transaction: the removal commits whole or not at all, under the item
 * row's lock that the removal took first (so a sync writer cannot interleave). An
 * {@code @ApplicationModuleListener} would run after the commit, leaving a removed item's
 * data behind until it ran.
 */
@Component
class SyncedDataErasure {

	private final JdbcClient jdbc;

	SyncedDataErasure(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@EventListener
	void itemErased(ItemErasure erasure) {
		this.jdbc.sql("DELETE FROM holdings WHERE item_id = :itemId").param("itemId", erasure.itemId()).update();
		this.jdbc.sql("DELETE FROM investment_transactions WHERE item_id = :itemId")
			.param("itemId", erasure.itemId())
			.update();
	}

	@EventListener
	void accountErased(AccountErasure erasure) {
		this.jdbc.sql("DELETE FROM holdings WHERE item_id = :itemId AND account_id = :accountId")
			.param("itemId", erasure.itemId())
			.param("accountId", erasure.accountId())
			.update();
		this.jdbc.sql("DELETE FROM investment_transactions WHERE item_id = :itemId AND account_id = :accountId")
			.param("itemId", erasure.itemId())
			.param("accountId", erasure.accountId())
			.update();
	}

}
