package dev.plaidsync.items;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * What a sync records on an item's investment accounts: the accounts and balances Plaid
 * listed, those it no longer lists, the accounts' sync status, and the flags a suspicious
 * answer raises. Every method joins the caller's transaction (a sync writer's chunk
 * transaction) and runs one statement, or one batch.
 * <p>
 * The sync reads the accounts' keys through the view {@code investment_account_keys}.
 */
@NamedInterface("sync")
@Component
public class AccountSyncRecords {

	/**
	 * Whichever job fetched them, balances fetched before the stored ones never overwrite
	 * them.
	 */
	private static final String BALANCES_ARE_NEWER = "(user_investment_accounts.balances_updated_at IS NULL "
			+ "OR EXCLUDED.balances_updated_at >= user_investment_accounts.balances_updated_at)";

	private final JdbcClient jdbc;

	private final NamedParameterJdbcTemplate named;

	AccountSyncRecords(JdbcClient jdbc, NamedParameterJdbcTemplate named) {
		this.jdbc = jdbc;
		this.named = named;
	}

	/**
	 * Upserts the accounts in one batch, in account id order (so that concurrent runs
	 * never deadlock), active and synced OK. A null balance never overwrites a stored
	 * one, and neither do balances fetched before the stored ones (by any job). An
	 * account of another item is left as it is. Text is stored as given: make it storable
	 * first.
	 */
	public void upsert(List<FetchedAccount> accounts) {
		if (accounts.isEmpty()) {
			return;
		}
		SqlParameterSource[] rows = accounts.stream()
			.sorted(Comparator.comparing(FetchedAccount::accountId))
			.map((account) -> new MapSqlParameterSource().addValue("accountId", account.accountId())
				.addValue("itemId", account.itemId())
				.addValue("userId", account.userId())
				.addValue("name", account.name())
				.addValue("officialName", account.officialName())
				.addValue("mask", account.mask())
				.addValue("type", account.type())
				.addValue("subtype", account.subtype())
				.addValue("current", account.balanceCurrent())
				.addValue("available", account.balanceAvailable())
				.addValue("limit", account.balanceLimit())
				.addValue("iso", account.isoCurrencyCode())
				.addValue("unofficial", account.unofficialCurrencyCode())
				.addValue("syncedAt", Timestamp.from(account.syncedAt())))
			.toArray(SqlParameterSource[]::new);
		this.named.batchUpdate(
				"""
						INSERT INTO user_investment_accounts (account_id, item_id, user_id, name, official_name, mask, type, subtype,
						    balance_current, balance_available, balance_limit, iso_currency_code, unofficial_currency_code,
						    balances_updated_at, is_active, last_synced, sync_status)
						VALUES (:accountId, :itemId, :userId, :name, :officialName, :mask, :type, :subtype, :current, :available,
						    :limit, :iso, :unofficial, :syncedAt, true, :syncedAt, 'ok')
						ON CONFLICT (account_id) DO UPDATE SET
						    name = EXCLUDED.name, official_name = EXCLUDED.official_name, mask = EXCLUDED.mask,
						    subtype = EXCLUDED.subtype,
						    balance_current = CASE WHEN %1$s THEN coalesce(EXCLUDED.balance_current, user_investment_accounts.balance_current)
						                           ELSE user_investment_accounts.balance_current END,
						    balance_available = CASE WHEN %1$s THEN coalesce(EXCLUDED.balance_available, user_investment_accounts.balance_available)
						                             ELSE user_investment_accounts.balance_available END,
						    balance_limit = CASE WHEN %1$s THEN coalesce(EXCLUDED.balance_limit, user_investment_accounts.balance_limit)
						                         ELSE user_investment_accounts.balance_limit END,
						    iso_currency_code = coalesce(EXCLUDED.iso_currency_code, user_investment_accounts.iso_currency_code),
						    unofficial_currency_code = coalesce(EXCLUDED.unofficial_currency_code, user_investment_accounts.unofficial_currency_code),
						    balances_updated_at = CASE WHEN %1$s THEN EXCLUDED.balances_updated_at
						                               ELSE user_investment_accounts.balances_updated_at END,
						    is_active = true, deactivated_at = NULL, deactivated_reason = NULL,
						    last_synced = greatest(EXCLUDED.last_synced, user_investment_accounts.last_synced), sync_status = 'ok', sync_error = NULL
						WHERE user_investment_accounts.item_id = EXCLUDED.item_id
						"""
					.formatted(BALANCES_ARE_NEWER),
				rows);
	}

	/**
	 * Accounts of the items missing from their unfiltered responses were closed,
	 * deselected or revoked: they become inactive and leave the totals. Account ids are
	 * unique across items, so the accounts present in any of the responses are those to
	 * keep. Returns how many became inactive.
	 */
	public int deactivateMissing(Collection<String> itemIds, Collection<String> presentAccountIds) {
		if (itemIds.isEmpty()) {
			return 0;
		}
		return this.jdbc.sql("""
				UPDATE user_investment_accounts SET is_active = false, deactivated_at = now(),
				    deactivated_reason = 'missing from Plaid''s response'
				WHERE item_id = ANY (:itemIds) AND is_active AND NOT (account_id = ANY (:present))
				""")
			.param("itemIds", itemIds.toArray(String[]::new))
			.param("present", presentAccountIds.toArray(String[]::new))
			.update();
	}

	/**
	 * The item's sync failed with {@code errorCode}: its active accounts say so until a
	 * sync succeeds.
	 */
	public void syncFailed(String itemId, String errorCode) {
		this.jdbc.sql("""
				UPDATE user_investment_accounts SET sync_status = 'error', sync_error = :code
				WHERE item_id = :itemId AND is_active
				""").param("itemId", itemId).param("code", errorCode).update();
	}

	/**
	 * The account dropped from holdings to none while its balance stayed high: it is
	 * flagged, and its sync status says HOLDINGS_GLITCH, until holdings are written for
	 * it again.
	 */
	public void holdingsSuspect(String accountId) {
		this.jdbc
			.sql("""
					UPDATE user_investment_accounts SET holdings_suspect = true, sync_status = 'error', sync_error = 'HOLDINGS_GLITCH'
					WHERE account_id = :accountId
					""")
			.param("accountId", accountId)
			.update();
	}

	/**
	 * Holdings were written for the accounts: a flag {@link #holdingsSuspect} raised is
	 * lowered.
	 */
	public void holdingsWritten(Collection<String> accountIds) {
		if (accountIds.isEmpty()) {
			return;
		}
		this.jdbc.sql(
				"UPDATE user_investment_accounts SET holdings_suspect = false WHERE account_id = ANY (:accounts) AND holdings_suspect")
			.param("accounts", accountIds.toArray(String[]::new))
			.update();
	}

	/**
	 * Plaid's window for the account lacks stored transactions, too many to trust one
	 * answer: the account is flagged since the first such answer, with the ids that
	 * answer lacked, and its sync status says {@code errorCode}.
	 */
	public void transactionsSuspect(String accountId, Collection<String> missingIds, String errorCode) {
		this.jdbc
			.sql("""
					UPDATE user_investment_accounts SET transactions_suspect_since = coalesce(transactions_suspect_since, now()),
					    transactions_suspect_missing = :missing, sync_status = 'error', sync_error = :code
					WHERE account_id = :account
					""")
			.param("account", accountId)
			.param("missing", missingIds.toArray(String[]::new))
			.param("code", errorCode)
			.update();
	}

	/**
	 * The transaction ids the account's flagged answer lacked (see
	 * {@link #transactionsSuspect}); empty when none.
	 */
	public Set<String> transactionsSuspectMissing(String accountId) {
		String[] ids = this.jdbc
			.sql("SELECT transactions_suspect_missing FROM user_investment_accounts WHERE account_id = :account")
			.param("account", accountId)
			.query((row, number) -> {
				java.sql.Array array = row.getArray(1);
				return (array != null) ? (String[]) array.getArray() : new String[0];
			})
			.optional()
			.orElse(new String[0]);
		return Set.of(ids);
	}

	/**
	 * The account's transactions were reconciled: a flag {@link #transactionsSuspect}
	 * raised is lowered.
	 */
	public void transactionsTrusted(String accountId) {
		this.jdbc
			.sql("""
					UPDATE user_investment_accounts SET transactions_suspect_since = NULL, transactions_suspect_missing = NULL
					WHERE account_id = :account AND transactions_suspect_since IS NOT NULL
					""")
			.param("account", accountId)
			.update();
	}

	/**
	 * An investment account as Plaid listed it in a response fetched at {@code syncedAt},
	 * with its balances (null when Plaid sent none).
	 */
	public record FetchedAccount(String accountId, String itemId, UUID userId, @Nullable String name,
			@Nullable String officialName, @Nullable String mask, String type, @Nullable String subtype,
			@Nullable BigDecimal balanceCurrent, @Nullable BigDecimal balanceAvailable,
			@Nullable BigDecimal balanceLimit, @Nullable String isoCurrencyCode,
			@Nullable String unofficialCurrencyCode, Instant syncedAt) {
	}

}
