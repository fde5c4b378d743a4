package dev.plaidsync.sync;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import com.plaid.client.model.AccountBase;
import com.plaid.client.model.AccountType;
import com.plaid.client.model.Security;
import dev.plaidsync.items.ItemStatusChanges;
import dev.plaidsync.plaid.PlaidFailure;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL the sync writers share. Every method runs inside the chunk's transaction. Rows are locked in a stable
 * order (items, then securities, by id) so that concurrent runs never deadlock.
 */
@Component
class SyncStore {

	private final JdbcClient jdbc;

	private final NamedParameterJdbcTemplate named;

	private final ItemStatusChanges itemStatus;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate independent;

	SyncStore(JdbcClient jdbc, NamedParameterJdbcTemplate named, ItemStatusChanges itemStatus,
			ApplicationEventPublisher events, PlatformTransactionManager transactionManager) {
		this.independent = new TransactionTemplate(transactionManager);
		this.independent.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.jdbc = jdbc;
		this.named = named;
		this.itemStatus = itemStatus;
		this.events = events;
	}

	/**
	 * Locks every item of a chunk, in item id order, and returns the snapshots is not older than what is stored: a snapshot
	 * fetched before the item's last recorded sync of this product is dropped.
	 */
	<T> List<FetchOutcome.Fetched<T>> lockAndKeepFresh(List<String> chunkItemIds, List<FetchOutcome.Fetched<T>> fetched,
			String syncedAtColumn) {
		if (chunkItemIds.isEmpty()) {
			return fetched;
		}
		List<String> itemIds = chunkItemIds.stream().sorted().distinct().toList();
		Map<String, OffsetDateTime> storedSyncs = new TreeMap<>();
		this.jdbc.sql("SELECT item_id, " + syncedAtColumn + " FROM plaid_items WHERE item_id IN (:ids) ORDER BY item_id FOR UPDATE")
			.param("ids", itemIds)
			.query((row) -> {
				storedSyncs.put(row.getString(1), row.getObject(2, OffsetDateTime.class));
			});
		return fetched.stream().filter((outcome) -> {
			if (!storedSyncs.containsKey(outcome.item().itemId())) {
				return false;
			}
			OffsetDateTime stored = storedSyncs.get(outcome.item().itemId());
			return stored == null || !outcome.fetchedAt().isBefore(stored.toInstant());
		}).toList();
	}

	/**
	 * Upserts securities; an older close price never overwrites a newer one, and a security that did not change is
	 * neither written nor locked.
	 */
	void upsertSecurities(Collection<Security> securities) {
		Map<String, Security> byId = new TreeMap<>();
		securities.forEach((security) -> byId.putIfAbsent(security.getSecurityId(), security));
		if (byId.isEmpty()) {
			return;
		}
		SqlParameterSource[] rows = byId.values().stream().map((security) -> new MapSqlParameterSource()
			.addValue("securityId", security.getSecurityId())
			.addValue("ticker", security.getTickerSymbol())
			.addValue("name", security.getName())
			.addValue("type", security.getType())
			.addValue("subtype", security.getSubtype())
			.addValue("closePrice", decimal(security.getClosePrice()))
			.addValue("closePriceAsOf", security.getClosePriceAsOf())
			.addValue("cashEquivalent", security.getIsCashEquivalent())
			.addValue("isin", security.getIsin())
			.addValue("cusip", security.getCusip())
			.addValue("mic", security.getMarketIdentifierCode())
			.addValue("iso", security.getIsoCurrencyCode())
			.addValue("unofficial", security.getUnofficialCurrencyCode())).toArray(SqlParameterSource[]::new);
		this.named.batchUpdate("""
				INSERT INTO securities AS s (security_id, ticker_symbol, name, type, subtype, close_price, close_price_as_of,
				    is_cash_equivalent, isin, cusip, market_identifier_code, iso_currency_code, unofficial_currency_code, updated_at)
				SELECT v.*, now() FROM (VALUES (CAST(:securityId AS text), CAST(:ticker AS text), CAST(:name AS text),
				    CAST(:type AS text), CAST(:subtype AS text), CAST(:closePrice AS numeric), CAST(:closePriceAsOf AS date),
				    CAST(:cashEquivalent AS boolean), CAST(:isin AS text), CAST(:cusip AS text), CAST(:mic AS text),
				    CAST(:iso AS text), CAST(:unofficial AS text)))
				    AS v (security_id, ticker_symbol, name, type, subtype, close_price, close_price_as_of, is_cash_equivalent,
				          isin, cusip, market_identifier_code, iso_currency_code, unofficial_currency_code)
				-- an unchanged row (every chunk brings CUR:USD and the popular tickers) is neither written nor locked
				WHERE NOT EXISTS (SELECT 1 FROM securities e WHERE e.security_id = v.security_id
				    AND (e.ticker_symbol, e.name, e.type, e.subtype, e.is_cash_equivalent, e.isin, e.cusip,
				         e.market_identifier_code, e.iso_currency_code, e.unofficial_currency_code)
				        IS NOT DISTINCT FROM (v.ticker_symbol, v.name, v.type, v.subtype, v.is_cash_equivalent, v.isin, v.cusip,
				         v.market_identifier_code, v.iso_currency_code, v.unofficial_currency_code)
				    AND NOT coalesce((e.close_price_as_of IS NULL OR v.close_price_as_of >= e.close_price_as_of)
				        AND (e.close_price, e.close_price_as_of) IS DISTINCT FROM (v.close_price, v.close_price_as_of), false))
				ON CONFLICT (security_id) DO UPDATE SET
				    ticker_symbol = EXCLUDED.ticker_symbol, name = EXCLUDED.name, type = EXCLUDED.type,
				    subtype = EXCLUDED.subtype, is_cash_equivalent = EXCLUDED.is_cash_equivalent, isin = EXCLUDED.isin,
				    cusip = EXCLUDED.cusip, market_identifier_code = EXCLUDED.market_identifier_code,
				    iso_currency_code = EXCLUDED.iso_currency_code, unofficial_currency_code = EXCLUDED.unofficial_currency_code,
				    close_price = CASE WHEN s.close_price_as_of IS NULL OR EXCLUDED.close_price_as_of >= s.close_price_as_of
				                       THEN EXCLUDED.close_price ELSE s.close_price END,
				    close_price_as_of = CASE WHEN s.close_price_as_of IS NULL OR EXCLUDED.close_price_as_of >= s.close_price_as_of
				                       THEN EXCLUDED.close_price_as_of ELSE s.close_price_as_of END,
				    updated_at = now()
				WHERE (s.ticker_symbol, s.name, s.type, s.subtype, s.is_cash_equivalent, s.isin, s.cusip,
				       s.market_identifier_code, s.iso_currency_code, s.unofficial_currency_code)
				      IS DISTINCT FROM (EXCLUDED.ticker_symbol, EXCLUDED.name, EXCLUDED.type, EXCLUDED.subtype,
				       EXCLUDED.is_cash_equivalent, EXCLUDED.isin, EXCLUDED.cusip, EXCLUDED.market_identifier_code,
				       EXCLUDED.iso_currency_code, EXCLUDED.unofficial_currency_code)
				   OR ((s.close_price_as_of IS NULL OR EXCLUDED.close_price_as_of >= s.close_price_as_of)
				       AND (s.close_price, s.close_price_as_of) IS DISTINCT FROM (EXCLUDED.close_price, EXCLUDED.close_price_as_of))
				""", rows);
	}

	/**
	 * Upserts the item's investment accounts (others are not kept) with their balances; a null balance never
	 * overwrites a stored one. Returns the ids of the investment accounts present.
	 */
	Set<String> upsertInvestmentAccounts(SyncItem item, List<AccountBase> accounts, Instant syncedAt) {
		Map<String, AccountBase> investment = new TreeMap<>();
		accounts.stream()
			.filter((account) -> account.getType() == AccountType.INVESTMENT)
			.forEach((account) -> investment.put(account.getAccountId(), account));
		if (investment.isEmpty()) {
			return Set.of();
		}
		SqlParameterSource[] rows = investment.values().stream().map((account) -> new MapSqlParameterSource()
			.addValue("accountId", account.getAccountId())
			.addValue("itemId", item.itemId())
			.addValue("userId", item.userId())
			.addValue("name", account.getName())
			.addValue("officialName", account.getOfficialName())
			.addValue("mask", account.getMask())
			.addValue("type", account.getType().getValue())
			.addValue("subtype", (account.getSubtype() != null) ? account.getSubtype().getValue() : null)
			.addValue("current", decimal(account.getBalances().getCurrent()))
			.addValue("available", decimal(account.getBalances().getAvailable()))
			.addValue("limit", decimal(account.getBalances().getLimit()))
			.addValue("iso", account.getBalances().getIsoCurrencyCode())
			.addValue("unofficial", account.getBalances().getUnofficialCurrencyCode())
			.addValue("syncedAt", timestamp(syncedAt))).toArray(SqlParameterSource[]::new);
		this.named.batchUpdate("""
				INSERT INTO user_investment_accounts (account_id, item_id, user_id, name, official_name, mask, type, subtype,
				    balance_current, balance_available, balance_limit, iso_currency_code, unofficial_currency_code,
				    balances_updated_at, is_active, last_synced, sync_status)
				VALUES (:accountId, :itemId, :userId, :name, :officialName, :mask, :type, :subtype, :current, :available,
				    :limit, :iso, :unofficial, :syncedAt, true, :syncedAt, 'ok')
				ON CONFLICT (account_id) DO UPDATE SET
				    name = EXCLUDED.name, official_name = EXCLUDED.official_name, mask = EXCLUDED.mask,
				    subtype = EXCLUDED.subtype,
				    balance_current = coalesce(EXCLUDED.balance_current, user_investment_accounts.balance_current),
				    balance_available = coalesce(EXCLUDED.balance_available, user_investment_accounts.balance_available),
				    balance_limit = coalesce(EXCLUDED.balance_limit, user_investment_accounts.balance_limit),
				    iso_currency_code = coalesce(EXCLUDED.iso_currency_code, user_investment_accounts.iso_currency_code),
				    unofficial_currency_code = coalesce(EXCLUDED.unofficial_currency_code, user_investment_accounts.unofficial_currency_code),
				    balances_updated_at = EXCLUDED.balances_updated_at,
				    is_active = true, deactivated_at = NULL, deactivated_reason = NULL,
				    last_synced = EXCLUDED.last_synced, sync_status = 'ok', sync_error = NULL
				WHERE user_investment_accounts.item_id = EXCLUDED.item_id
				""", rows);
		return investment.keySet();
	}

	/** Accounts missing from an unfiltered response were closed, deselected or revoked: they leave the totals. */
	int deactivateMissingAccounts(String itemId, Set<String> presentAccountIds) {
		return this.jdbc.sql("""
				UPDATE user_investment_accounts SET is_active = false, deactivated_at = now(),
				    deactivated_reason = 'missing from Plaid''s response'
				WHERE item_id = :itemId AND is_active AND NOT (account_id = ANY (:present))
				""").param("itemId", itemId).param("present", presentAccountIds.toArray(String[]::new)).update();
	}

	void markItemSynced(String itemId, String syncedAtColumn, Instant fetchedAt, Map<String, Object> extraColumns) {
		StringBuilder sql = new StringBuilder("UPDATE plaid_items SET ").append(syncedAtColumn)
			.append(" = :fetchedAt, last_error_code = NULL, last_error_message = NULL, updated_at = now()");
		extraColumns.keySet().forEach((column) -> sql.append(", ").append(column).append(" = :").append(column));
		sql.append(" WHERE item_id = :itemId");
		this.jdbc.sql(sql.toString()).param("fetchedAt", timestamp(fetchedAt)).param("itemId", itemId).params(extraColumns).update();
	}

	/**
	 * Records an item's own failure on the item and its accounts, in the chunk's transaction, and in the execution's
	 * failure log in a transaction of its own, so that operators see the failed items even of a chunk that failed
	 * the run and rolled back.
	 */
	void recordFailure(long jobExecutionId, String jobName, FetchOutcome.Failed<?> failure) {
		String itemId = failure.item().itemId();
		if (failure.kind() == PlaidFailure.Kind.ITEM_NEEDS_USER) {
			this.itemStatus.needsUser(itemId, failure.errorCode(), failure.message());
		}
		else {
			this.itemStatus.syncFailed(itemId, failure.errorCode(), failure.message());
		}
		this.jdbc.sql("""
				UPDATE user_investment_accounts SET sync_status = 'error', sync_error = :code
				WHERE item_id = :itemId AND is_active
				""").param("itemId", itemId).param("code", failure.errorCode()).update();
		this.independent.executeWithoutResult((status) -> this.jdbc.sql("""
				INSERT INTO sync_item_failures (job_execution_id, job_name, item_id, failure_kind, error_code, message)
				VALUES (:executionId, :jobName, :itemId, :kind, :code, :message)
				""")
			.param("executionId", jobExecutionId)
			.param("jobName", jobName)
			.param("itemId", itemId)
			.param("kind", failure.kind().name())
			.param("code", failure.errorCode())
			.param("message", failure.message())
			.update());
	}

	/** Tells the rest of the engine, once the chunk has committed, whose portfolios changed. */
	void publishAfterCommit(Collection<UUID> userIds) {
		List<UUID> users = new ArrayList<>(new LinkedHashSet<>(userIds));
		if (users.isEmpty()) {
			return;
		}
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			users.forEach((user) -> this.events.publishEvent(new PortfolioRefreshed(user)));
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				users.forEach((user) -> SyncStore.this.events.publishEvent(new PortfolioRefreshed(user)));
			}
		});
	}

	JdbcClient jdbc() {
		return this.jdbc;
	}

	NamedParameterJdbcTemplate named() {
		return this.named;
	}

	static BigDecimal decimal(Double value) {
		return (value != null) ? BigDecimal.valueOf(value) : null;
	}

	static Timestamp timestamp(Instant instant) {
		return Timestamp.from(instant);
	}

	static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	static Comparator<SyncItem> byItemId() {
		return Comparator.comparing(SyncItem::itemId);
	}

}
