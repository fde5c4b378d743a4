package dev.plaidsync.sync;

import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
import dev.plaidsync.items.AccountSyncRecords;
import dev.plaidsync.items.ItemStatusChanges;
import dev.plaidsync.items.ItemSyncMarkers;
import dev.plaidsync.items.SyncedProduct;
import dev.plaidsync.plaid.PlaidFailure;

import org.postgresql.PGConnection;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL the sync writers share. Every method runs inside the chunk's transaction. Rows are locked in a stable
 * order (items, then securities, by id) so that concurrent runs never deadlock.
 */
@Component
class SyncStore {

	/** The error code of an item whose data the database refused. */
	static final String UNSTORABLE = "UNSTORABLE_DATA";

	private final JdbcClient jdbc;

	private final NamedParameterJdbcTemplate named;

	private final ItemStatusChanges itemStatus;

	private final ItemSyncMarkers itemMarkers;

	private final AccountSyncRecords accounts;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate independent;

	private final StorableText text;

	private final SyncRecoveryProperties recovery;

	private final ItemFailureLog failureLog;

	SyncStore(JdbcClient jdbc, NamedParameterJdbcTemplate named, ItemStatusChanges itemStatus,
			ItemSyncMarkers itemMarkers, AccountSyncRecords accounts, ApplicationEventPublisher events,
			PlatformTransactionManager transactionManager, StorableText text, SyncRecoveryProperties recovery,
			ItemFailureLog failureLog) {
		this.itemMarkers = itemMarkers;
		this.accounts = accounts;
		this.failureLog = failureLog;
		this.text = text;
		this.recovery = recovery;
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
		// A removed item's snapshot is dropped: it was fetched before the removal, which deleted the item's rows.
		Map<String, OffsetDateTime> storedSyncs = this.itemMarkers.lockForSync(chunkItemIds,
				SyncedProduct.ofSyncedAtColumn(syncedAtColumn));
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
				""", storable(rows));
	}

	/** One row of {@code holdings}, as {@link #copyHoldings} stores it. */
	record HoldingRow(String accountId, String itemId, UUID userId, String securityId, BigDecimal quantity,
			BigDecimal institutionPrice, LocalDate institutionPriceAsOf, BigDecimal institutionValue, BigDecimal costBasis,
			String isoCurrencyCode, String unofficialCurrencyCode, BigDecimal vestedQuantity, BigDecimal vestedValue,
			Instant syncedAt) {
	}

	/**
	 * Inserts holdings rows with one COPY: no statement to parse and plan per batch, and no parameters to bind, for the
	 * hundreds of rows a chunk brings. Text is made storable first (see {@link StorableText}); a row the database
	 * refuses fails the COPY with the database's SQLSTATE, translated as any statement's would be, so the chunk is
	 * rolled back and scanned item by item exactly as a refused INSERT would make it.
	 */
	void copyHoldings(List<HoldingRow> rows) {
		if (rows.isEmpty()) {
			return;
		}
		StringBuilder data = new StringBuilder(rows.size() * 256);
		for (HoldingRow row : rows) {
			copyText(data, row.accountId()).append('\t');
			copyText(data, row.itemId()).append('\t');
			copyValue(data, row.userId()).append('\t');
			copyText(data, row.securityId()).append('\t');
			copyValue(data, row.quantity()).append('\t');
			copyValue(data, row.institutionPrice()).append('\t');
			copyValue(data, row.institutionPriceAsOf()).append('\t');
			copyValue(data, row.institutionValue()).append('\t');
			copyValue(data, row.costBasis()).append('\t');
			copyText(data, row.isoCurrencyCode()).append('\t');
			copyText(data, row.unofficialCurrencyCode()).append('\t');
			copyValue(data, row.vestedQuantity()).append('\t');
			copyValue(data, row.vestedValue()).append('\t');
			copyValue(data, row.syncedAt()).append('\n');
		}
		String copy = """
				COPY holdings (account_id, item_id, user_id, security_id, quantity, institution_price,
				    institution_price_as_of, institution_value, cost_basis, iso_currency_code, unofficial_currency_code,
				    vested_quantity, vested_value, synced_at) FROM STDIN""";
		this.named.getJdbcTemplate().execute((ConnectionCallback<Long>) (connection) -> {
			try {
				return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, new StringReader(data.toString()));
			}
			catch (java.io.IOException ex) {
				throw new SQLException("COPY into holdings could not be sent: " + ex.getMessage(), "08006", ex);
			}
		});
	}

	/** A text value in COPY's text format: NULL as {@code \N}; backslash, tab, newline and carriage return escaped. */
	private StringBuilder copyText(StringBuilder data, String value) {
		if (value == null) {
			return data.append("\\N");
		}
		String text = this.text.of(value);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '\\' -> data.append("\\\\");
				case '\t' -> data.append("\\t");
				case '\n' -> data.append("\\n");
				case '\r' -> data.append("\\r");
				default -> data.append(c);
			}
		}
		return data;
	}

	/** A number, date, instant or UUID in COPY's text format (ISO 8601 for the dates), NULL as {@code \N}. */
	private static StringBuilder copyValue(StringBuilder data, Object value) {
		if (value == null) {
			return data.append("\\N");
		}
		return data.append((value instanceof BigDecimal decimal) ? decimal.toPlainString() : value.toString());
	}

	/**
	 * Upserts the item's investment accounts (others are not kept) with their balances; a null balance never
	 * overwrites a stored one, and neither do balances fetched before the stored ones (by any job). Returns the ids of
	 * the investment accounts present.
	 */
	Set<String> upsertInvestmentAccounts(SyncItem item, List<AccountBase> accounts, Instant syncedAt) {
		return upsertInvestmentAccounts(List.of(new ItemAccounts(item, accounts, syncedAt))).getOrDefault(item.itemId(), Set.of());
	}

	/**
	 * Upserts the investment accounts of several items in one batch, in account id order. Returns, per item id, the
	 * ids of its investment accounts present (an item with none is absent).
	 */
	Map<String, Set<String>> upsertInvestmentAccounts(List<ItemAccounts> items) {
		Map<String, ItemAccounts> byAccount = new TreeMap<>();
		Map<String, AccountBase> investment = new TreeMap<>();
		Map<String, Set<String>> present = new java.util.HashMap<>();
		for (ItemAccounts item : items) {
			item.accounts().stream()
				.filter((account) -> account.getType() == AccountType.INVESTMENT)
				.forEach((account) -> {
					investment.put(account.getAccountId(), account);
					byAccount.put(account.getAccountId(), item);
					present.computeIfAbsent(item.item().itemId(), (id) -> new java.util.TreeSet<>()).add(account.getAccountId());
				});
		}
		if (investment.isEmpty()) {
			return present;
		}
		this.accounts.upsert(investment.values().stream().map((account) -> {
			ItemAccounts item = byAccount.get(account.getAccountId());
			return new AccountSyncRecords.SyncedAccount(this.text.of(account.getAccountId()),
					this.text.of(item.item().itemId()), item.item().userId(), this.text.of(account.getName()),
					this.text.of(account.getOfficialName()), this.text.of(account.getMask()),
					this.text.of(account.getType().getValue()),
					(account.getSubtype() != null) ? this.text.of(account.getSubtype().getValue()) : null,
					decimal(account.getBalances().getCurrent()), decimal(account.getBalances().getAvailable()),
					decimal(account.getBalances().getLimit()), this.text.of(account.getBalances().getIsoCurrencyCode()),
					this.text.of(account.getBalances().getUnofficialCurrencyCode()), item.syncedAt());
		}).toList());
		return present;
	}

	/**
	 * Accounts missing from the items' unfiltered responses were closed, deselected or revoked: they leave the totals.
	 * One statement for all the items: account ids are unique across items, so the accounts present in any of their
	 * responses are those to keep.
	 */
	int deactivateMissingAccounts(Collection<String> itemIds, Collection<String> presentAccountIds) {
		return this.accounts.deactivateMissing(itemIds, presentAccountIds);
	}

	/** An item's accounts as one response listed them. */
	record ItemAccounts(SyncItem item, List<AccountBase> accounts, Instant syncedAt) {
	}

	/**
	 * Records an item's own failure on the item and its accounts, in the chunk's transaction, and in the execution's
	 * failure log in a transaction of its own, so that operators see the failed items even of a chunk that failed
	 * the run and rolled back.
	 */
	void recordFailure(long jobExecutionId, String jobName, FetchOutcome.Failed<?> failure, boolean sweep) {
		String itemId = failure.item().itemId();
		if (failure.kind() == PlaidFailure.Kind.ITEM_NEEDS_USER) {
			this.itemStatus.needsUser(itemId, failure.errorCode(), failure.message());
			clearRetries(jobName, List.of(itemId));
		}
		else if (PlaidFailure.permanentForItem(failure.errorCode())) {
			this.itemStatus.broken(itemId, failure.errorCode(), failure.message());
			clearRetries(jobName, List.of(itemId));
		}
		else {
			this.itemStatus.syncFailed(itemId, failure.errorCode(), failure.message());
		}
		if (failure.worthRetrying()) {
			scheduleRetry(jobName, failure.item(), failure.errorCode(), sweep);
		}
		this.accounts.syncFailed(itemId, failure.errorCode());
		this.failureLog.record(jobExecutionId, jobName, itemId, failure.kind().name(), failure.errorCode(), failure.message());
	}

	/**
	 * Records an item whose write the database refused, once the transaction that tried it has rolled back (it may
	 * still hold the item's row lock): first in the execution's failure log, then on the item and its accounts,
	 * which the database may refuse too.
	 */
	void recordUnstorable(long jobExecutionId, String jobName, SyncItem item, Throwable failure) {
		String message = this.text.of(databaseError(failure));
		this.failureLog.record(jobExecutionId, jobName, item.itemId(), "UNSTORABLE", UNSTORABLE, message);
		this.independent.executeWithoutResult((status) -> this.itemStatus.syncFailed(item.itemId(), UNSTORABLE, message));
		try {
			this.independent.executeWithoutResult((status) -> this.accounts.syncFailed(item.itemId(), UNSTORABLE));
		}
		catch (DataIntegrityViolationException refusedToo) {
			// The item's accounts are what the database refuses: the item and the failure log still say so.
		}
	}

	/**
	 * The database's own words when there are some, else the failure's: SQLSTATE and the first line of the message,
	 * which names the constraint or the refused value's type, but neither the statement nor the row's data.
	 */
	static String databaseError(Throwable failure) {
		for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof java.sql.SQLException sql) {
				java.sql.SQLException reported = (sql.getNextException() != null) ? sql.getNextException() : sql;
				String words = String.valueOf(reported.getMessage()).lines().findFirst().orElse("").strip();
				return "SQLSTATE " + reported.getSQLState() + ": " + words;
			}
		}
		return failure.toString();
	}

	/** Every text value of the rows, made storable (see {@link StorableText}). */
	SqlParameterSource[] storable(SqlParameterSource[] rows) {
		for (SqlParameterSource row : rows) {
			if (row instanceof MapSqlParameterSource map) {
				Map<String, Object> changed = new java.util.HashMap<>();
				map.getValues().forEach((name, value) -> {
					if (value instanceof String string) {
						String kept = this.text.of(string);
						if (!kept.equals(string)) {
							changed.put(name, kept);
						}
					}
				});
				map.addValues(changed);
			}
		}
		return rows;
	}

	/**
	 * Puts the item on the follow-up list of {@code jobName}: due after the next of the configured delays, or, once
	 * they are used up, left for the next sweep. A failure in a sweep starts the delays over.
	 */
	void scheduleRetry(String jobName, SyncItem item, String errorCode, boolean sweep) {
		this.jdbc.sql("""
				INSERT INTO sync_item_retries (job_name, item_id, institution_id, attempts, error_code, due_at)
				VALUES (:job, :itemId, :institutionId, 1, :code,
				        now() + make_interval(secs => (CAST(:delays AS bigint[]))[1] / 1000.0))
				ON CONFLICT (job_name, item_id) DO UPDATE SET
				    attempts = CASE WHEN :sweep THEN 1 ELSE sync_item_retries.attempts + 1 END,
				    institution_id = EXCLUDED.institution_id, error_code = EXCLUDED.error_code, last_failed_at = now(),
				    due_at = now() + make_interval(secs => (CAST(:delays AS bigint[]))[
				        CASE WHEN :sweep THEN 1 ELSE sync_item_retries.attempts + 1 END] / 1000.0)
				""")
			.param("job", jobName)
			.param("itemId", item.itemId())
			.param("institutionId", item.institutionId())
			.param("code", errorCode)
			.param("sweep", sweep)
			.param("delays", this.recovery.retryDelayMillis())
			.update();
	}

	/**
	 * The items synced: nothing is left to retry for them, unless this very transaction put them back on the list
	 * (a window that shrank too much).
	 */
	void clearRetries(String jobName, Collection<String> itemIds) {
		if (itemIds.isEmpty()) {
			return;
		}
		this.jdbc.sql("DELETE FROM sync_item_retries WHERE job_name = :job AND item_id = ANY (:items) AND last_failed_at < now()")
			.param("job", jobName)
			.param("items", itemIds.toArray(String[]::new))
			.update();
	}

	/**
	 * Tells the rest of the engine whose portfolios the chunk changed: {@link PortfolioRefreshed} is stored in the
	 * chunk's transaction and delivered after its commit, even if this node dies right after it.
	 */
	void portfoliosRefreshed(Collection<UUID> userIds) {
		new LinkedHashSet<>(userIds).forEach((user) -> this.events.publishEvent(new PortfolioRefreshed(user)));
	}

	ItemSyncMarkers itemMarkers() {
		return this.itemMarkers;
	}

	AccountSyncRecords accounts() {
		return this.accounts;
	}

	SyncRecoveryProperties recovery() {
		return this.recovery;
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
