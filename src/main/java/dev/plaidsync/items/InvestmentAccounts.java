package dev.plaidsync.items;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.common.UserScopedSession;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * The accounts of users' items, read: the reads for a user run as that user (row-level
 * security, plus an owner filter in the SQL) and join the caller's user-scoped read when
 * there is one; the engine's reads (for the ledger, through {@code sync}, and operators)
 * run as the engine. Read-only and thread-safe.
 */
@NamedInterface({ "sync", "users" })
@Component
public class InvestmentAccounts {

	private final UserScopedSession session;

	private final JdbcClient jdbc;

	InvestmentAccounts(UserScopedSession session, JdbcClient jdbc) {
		this.session = session;
		this.jdbc = jdbc;
	}

	/**
	 * An active investment account whose item counts in the portfolio.
	 *
	 * @param currency the balances' currency, {@code UNKNOWN} when Plaid gave none
	 * @param holdingsSuspect the last sync found the account's holdings doubtful
	 */
	public record PortfolioAccount(String accountId, String itemId, String name, String officialName, String mask,
			String subtype, BigDecimal balanceCurrent, BigDecimal balanceAvailable, String currency,
			OffsetDateTime lastSynced, boolean holdingsSuspect) {
	}

	/**
	 * An account of a user, by the key other tables reference it with; {@code active}
	 * false once Plaid no longer reports it.
	 */
	public record AccountKey(long key, String accountId, String name, boolean active) {
	}

	/**
	 * An investment account of a user, with its item and when that item's transactions
	 * were last synced.
	 */
	public record InvestmentAccount(long key, String accountId, String itemId, OffsetDateTime transactionsSyncedAt) {
	}

	/**
	 * The user's active investment accounts of ACTIVE or NEEDS_USER items, in the items'
	 * link order, then by name.
	 */
	public List<PortfolioAccount> inPortfolio(UUID userId) {
		return this.session.read(userId,
				(jdbc) -> jdbc
					.sql("""
							SELECT a.account_id, a.item_id, a.name, a.official_name, a.mask, a.subtype, a.balance_current,
							       a.balance_available, coalesce(a.iso_currency_code, a.unofficial_currency_code, 'UNKNOWN') AS currency,
							       a.last_synced, a.holdings_suspect
							FROM user_investment_accounts a JOIN plaid_items i ON i.item_id = a.item_id
							WHERE a.user_id = :userId AND i.user_id = :userId AND a.is_active AND a.type = 'investment'
							AND i.status IN ('ACTIVE', 'NEEDS_USER')
							ORDER BY i.created_at, i.id, a.name, a.account_id
							""")
					.param("userId", userId)
					.query((row, number) -> new PortfolioAccount(row.getString("account_id"), row.getString("item_id"),
							row.getString("name"), row.getString("official_name"), row.getString("mask"),
							row.getString("subtype"), row.getBigDecimal("balance_current"),
							row.getBigDecimal("balance_available"), row.getString("currency"),
							row.getObject("last_synced", OffsetDateTime.class), row.getBoolean("holdings_suspect")))
					.list());
	}

	/** Whether the account is the user's (any type, active or not). */
	public boolean owns(UUID userId, String accountId) {
		return this.session.read(userId, (jdbc) -> jdbc
			.sql("SELECT count(*) FROM user_investment_accounts WHERE user_id = :userId AND account_id = :accountId")
			.param("userId", userId)
			.param("accountId", accountId)
			.query(Long.class)
			.single() > 0);
	}

	/**
	 * Every account of the user by its key (any type, active or not), iterated in account
	 * id order.
	 */
	public Map<Long, AccountKey> keyed(UUID userId) {
		return this.session.read(userId, (jdbc) -> {
			Map<Long, AccountKey> accounts = new LinkedHashMap<>();
			jdbc.sql(
					"SELECT id, account_id, name, is_active FROM user_investment_accounts WHERE user_id = :userId ORDER BY account_id")
				.param("userId", userId)
				.query((row) -> {
					accounts.put(row.getLong(1),
							new AccountKey(row.getLong(1), row.getString(2), row.getString(3), row.getBoolean(4)));
				});
			return accounts;
		});
	}

	/**
	 * As the engine: the user's investment accounts (active or not, of any item), by
	 * account id.
	 */
	public List<InvestmentAccount> investmentAccounts(UUID userId) {
		return this.jdbc.sql("""
				SELECT a.id, a.account_id, a.item_id, i.transactions_synced_at
				FROM user_investment_accounts a JOIN plaid_items i ON i.item_id = a.item_id
				WHERE a.user_id = :userId AND a.type = 'investment'
				ORDER BY a.account_id
				""")
			.param("userId", userId)
			.query((row, number) -> new InvestmentAccount(row.getLong("id"), row.getString("account_id"),
					row.getString("item_id"), row.getObject("transactions_synced_at", OffsetDateTime.class)))
			.list();
	}

	/** As the engine, for operators: the name of each of these accounts that exists. */
	public Map<String, String> names(Collection<String> accountIds) {
		Map<String, String> names = new HashMap<>();
		this.jdbc.sql("SELECT account_id, name FROM user_investment_accounts WHERE account_id = ANY (:ids)")
			.param("ids", accountIds.toArray(String[]::new))
			.query((row) -> {
				names.put(row.getString(1), row.getString(2));
			});
		return names;
	}

}
