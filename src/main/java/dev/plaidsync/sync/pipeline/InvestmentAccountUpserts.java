package dev.plaidsync.sync.pipeline;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.plaid.client.model.AccountBase;
import com.plaid.client.model.AccountType;
import dev.plaidsync.items.AccountSyncRecords;
import dev.plaidsync.sync.runtime.StorableText;

import org.springframework.stereotype.Component;

/**
 * Writes the items' investment accounts, with their balances, through
 * {@link AccountSyncRecords} (the table is {@code items}'), in the chunk's transaction
 * and in account id order.
 */
@Component
public class InvestmentAccountUpserts {

	private final AccountSyncRecords accounts;

	private final StorableText text;

	InvestmentAccountUpserts(AccountSyncRecords accounts, StorableText text) {
		this.accounts = accounts;
		this.text = text;
	}

	/**
	 * Upserts the item's investment accounts (others are not kept) with their balances; a
	 * null balance never overwrites a stored one, and neither do balances fetched before
	 * the stored ones (by any job). Returns the ids of the investment accounts present.
	 */
	public Set<String> upsert(SyncItem item, List<AccountBase> accounts, Instant syncedAt) {
		return upsert(List.of(new ItemAccounts(item, accounts, syncedAt))).getOrDefault(item.itemId(), Set.of());
	}

	/**
	 * Upserts the investment accounts of several items in one batch, in account id order.
	 * Returns, per item id, the ids of its investment accounts present (an item with none
	 * is absent).
	 */
	public Map<String, Set<String>> upsert(List<ItemAccounts> items) {
		Map<String, ItemAccounts> byAccount = new TreeMap<>();
		Map<String, AccountBase> investment = new TreeMap<>();
		Map<String, Set<String>> present = new HashMap<>();
		for (ItemAccounts item : items) {
			item.accounts()
				.stream()
				.filter((account) -> account.getType() == AccountType.INVESTMENT)
				.forEach((account) -> {
					investment.put(account.getAccountId(), account);
					byAccount.put(account.getAccountId(), item);
					present.computeIfAbsent(item.item().itemId(), (id) -> new TreeSet<>()).add(account.getAccountId());
				});
		}
		if (investment.isEmpty()) {
			return present;
		}
		this.accounts.upsert(investment.values().stream().map((account) -> {
			ItemAccounts item = byAccount.get(account.getAccountId());
			return new AccountSyncRecords.FetchedAccount(this.text.of(account.getAccountId()),
					this.text.of(item.item().itemId()), item.item().userId(), this.text.of(account.getName()),
					this.text.of(account.getOfficialName()), this.text.of(account.getMask()),
					this.text.of(account.getType().getValue()),
					(account.getSubtype() != null) ? this.text.of(account.getSubtype().getValue()) : null,
					PlaidDecimals.of(account.getBalances().getCurrent()),
					PlaidDecimals.of(account.getBalances().getAvailable()),
					PlaidDecimals.of(account.getBalances().getLimit()),
					this.text.of(account.getBalances().getIsoCurrencyCode()),
					this.text.of(account.getBalances().getUnofficialCurrencyCode()), item.syncedAt());
		}).toList());
		return present;
	}

	/**
	 * Accounts missing from the items' unfiltered responses were closed, deselected or
	 * revoked: they leave the totals. One statement for all the items: account ids are
	 * unique across items, so the accounts present in any of their responses are those to
	 * keep.
	 */
	public int deactivateMissing(Collection<String> itemIds, Collection<String> presentAccountIds) {
		return this.accounts.deactivateMissing(itemIds, presentAccountIds);
	}

	/** An item's accounts as one response listed them. */
	public record ItemAccounts(SyncItem item, List<AccountBase> accounts, Instant syncedAt) {
	}

}
