package dev.plaidsync.sync;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.items.InvestmentAccounts;
import dev.plaidsync.items.LinkedItems;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The accounts and items the sync keeps data for, with the sync's own marker (when an
 * item's transactions were last synced), for what reads the synced data and uses only
 * {@code sync} (the ledger). The rows are {@code items}'; this reads them through the
 * query types {@code items} exports. Read-only and thread-safe.
 */
@Component
public class SyncedAccounts {

	private final InvestmentAccounts accounts;

	private final LinkedItems items;

	SyncedAccounts(InvestmentAccounts accounts, LinkedItems items) {
		this.accounts = accounts;
		this.items = items;
	}

	/**
	 * An investment account, by the key the holdings history names it with.
	 *
	 * @param transactionsSyncedAt when its item's transactions were last synced (null:
	 * never)
	 */
	public record SyncedAccount(long key, String accountId, String itemId,
			@Nullable OffsetDateTime transactionsSyncedAt) {
	}

	/** As the engine: the user's investment accounts (active or not), by account id. */
	public List<SyncedAccount> investmentAccounts(UUID userId) {
		return this.accounts.investmentAccounts(userId)
			.stream()
			.map((account) -> new SyncedAccount(account.key(), account.accountId(), account.itemId(),
					account.transactionsSyncedAt()))
			.toList();
	}

	/**
	 * Every item of the user (removed ones too) with when its transactions were last
	 * synced, read as the user.
	 */
	public Map<String, OffsetDateTime> transactionsSyncedAt(UUID userId) {
		return this.items.transactionsSyncedAt(userId);
	}

	/**
	 * As the engine, for operators: the name of each of these accounts that exists (a
	 * name may be null).
	 */
	public Map<String, String> accountNames(Collection<String> accountIds) {
		return this.accounts.names(accountIds);
	}

	/**
	 * As the engine, for operators: the institution name of each of these items that
	 * exists.
	 */
	public Map<String, String> institutionNames(Collection<String> itemIds) {
		return this.items.institutionNames(itemIds);
	}

}
