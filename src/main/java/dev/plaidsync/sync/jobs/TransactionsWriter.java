package dev.plaidsync.sync.jobs;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.plaid.client.model.AccountBase;
import com.plaid.client.model.InvestmentTransaction;
import dev.plaidsync.common.LogContext;
import dev.plaidsync.items.AccountSyncRecords;
import dev.plaidsync.items.ItemSyncMarkers;
import dev.plaidsync.items.SyncedProduct;
import dev.plaidsync.plaid.InvestmentTransactionsWindow;
import dev.plaidsync.sync.ItemRetries;
import dev.plaidsync.sync.pipeline.ChunkSettlement;
import dev.plaidsync.sync.pipeline.FetchOutcome;
import dev.plaidsync.sync.pipeline.InvestmentAccountUpserts;
import dev.plaidsync.sync.pipeline.ItemRetryList;
import dev.plaidsync.sync.pipeline.PlaidDecimals;
import dev.plaidsync.sync.pipeline.SecurityUpserts;
import dev.plaidsync.sync.pipeline.SyncItem;
import dev.plaidsync.sync.pipeline.SyncItemReaders;
import dev.plaidsync.sync.pipeline.SyncWriter;
import dev.plaidsync.sync.runtime.SyncProgressLog;
import dev.plaidsync.sync.runtime.SyncProperties;
import dev.plaidsync.sync.runtime.SyncRecoveryProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * Writes investment transactions: upserted by Plaid's id, {@code cancel} rows kept as
 * Plaid returns them. Plaid never lists removed transactions, so after a complete fetch
 * of a window (every page), the stored rows of the fetched accounts dated within it that
 * Plaid no longer returned are deleted.
 */
class TransactionsWriter extends SyncWriter<TransactionsWriter.Fetch> {

	static final String SYNCED_AT = SyncedProduct.TRANSACTIONS.syncedAtColumn();

	private static final Logger log = LoggerFactory.getLogger(TransactionsWriter.class);

	private final SecurityUpserts securities;

	private final InvestmentAccountUpserts accounts;

	private final TransactionsTable transactions;

	private final ItemSyncMarkers itemMarkers;

	private final AccountSyncRecords accountRecords;

	private final ItemRetryList retries;

	private final SyncRecoveryProperties recovery;

	TransactionsWriter(ChunkSettlement settlement, SyncProperties properties, SyncItemReaders.RunScope scope,
			SyncProgressLog progressLog, SecurityUpserts securities, InvestmentAccountUpserts accounts,
			TransactionsTable transactions, ItemSyncMarkers itemMarkers, AccountSyncRecords accountRecords,
			ItemRetryList retries, SyncRecoveryProperties recovery) {
		super(settlement, properties, SYNCED_AT, scope, progressLog);
		this.securities = securities;
		this.accounts = accounts;
		this.transactions = transactions;
		this.itemMarkers = itemMarkers;
		this.accountRecords = accountRecords;
		this.retries = retries;
		this.recovery = recovery;
	}

	@Override
	protected List<AccountBase> accountsIn(Fetch data) {
		return data.window().accounts();
	}

	@Override
	protected void writeFresh(List<FetchOutcome.Fetched<Fetch>> fresh) {
		this.securities
			.upsert(fresh.stream().flatMap((outcome) -> outcome.data().window().securities().stream()).toList());
		List<SqlParameterSource> rows = new ArrayList<>();
		for (FetchOutcome.Fetched<Fetch> outcome : fresh) {
			try (LogContext.Scope ids = outcome.item().logContext()) {
				write(outcome, rows);
			}
		}
	}

	private void write(FetchOutcome.Fetched<Fetch> outcome, List<SqlParameterSource> rows) {
		SyncItem item = outcome.item();
		InvestmentTransactionsWindow window = outcome.data().window();
		Set<String> accounts = this.accounts.upsert(item, window.accounts(), outcome.fetchedAt());
		List<InvestmentTransaction> kept = window.transactions()
			.stream()
			.filter((transaction) -> accounts.contains(transaction.getAccountId()))
			.toList();
		kept.forEach((transaction) -> rows.add(row(item, transaction, outcome)));
		if (!rows.isEmpty()) {
			this.transactions.upsert(rows);
			rows.clear();
		}
		if (window.complete() && !accounts.isEmpty()) {
			reconcile(item, window, accounts, kept);
		}
		this.itemMarkers.markTransactionsSynced(item.itemId(), outcome.fetchedAt(),
				outcome.data().full() && window.complete());
	}

	/**
	 * Deletes, per fetched account, the stored rows of the window that Plaid no longer
	 * returned, unless that answer alone would empty the account's window or shrink it by
	 * more than the configured share: then the rows stay, the account is flagged with the
	 * ids that would go, and the item's full window is fetched again later. A later fetch
	 * that lacks no row the flagged one did not also lack confirms it.
	 */
	private void reconcile(SyncItem item, InvestmentTransactionsWindow window, Set<String> accounts,
			List<InvestmentTransaction> kept) {
		boolean suspect = false;
		for (String account : new TreeSet<>(accounts)) {
			Set<String> returned = kept.stream()
				.filter((transaction) -> account.equals(transaction.getAccountId()))
				.map(InvestmentTransaction::getInvestmentTransactionId)
				.collect(Collectors.toSet());
			List<String> stored = this.transactions.storedIds(account, window.startDate(), window.endDate());
			List<String> missing = stored.stream().filter((id) -> !returned.contains(id)).toList();
			if (missing.isEmpty()) {
				this.accountRecords.transactionsTrusted(account);
				continue;
			}
			boolean drastic = returned.isEmpty()
					|| missing.size() > this.recovery.transactionsShrinkShare() * stored.size();
			if (drastic && !this.accountRecords.transactionsSuspectMissing(account).containsAll(missing)) {
				this.accountRecords.transactionsSuspect(account, missing, ItemRetries.WINDOW_SHRANK);
				log.warn(
						"Item {}: Plaid's window {}..{} for account {} lacks {} of the {} stored transaction(s); kept them "
								+ "until a second fetch agrees",
						item.itemId(), window.startDate(), window.endDate(), account, missing.size(), stored.size());
				suspect = true;
				continue;
			}
			int removed = this.transactions.delete(account, missing);
			this.accountRecords.transactionsTrusted(account);
			log.info(
					"Item {}: deleted {} transaction(s) of account {} that Plaid no longer returns between {} and {}{}",
					item.itemId(), removed, account, window.startDate(), window.endDate(),
					drastic ? " (a second fetch agreed)" : "");
		}
		if (suspect) {
			this.retries.schedule(jobName(), item, ItemRetries.WINDOW_SHRANK, false);
		}
	}

	private static SqlParameterSource row(SyncItem item, InvestmentTransaction transaction,
			FetchOutcome.Fetched<Fetch> outcome) {
		return new MapSqlParameterSource().addValue("id", transaction.getInvestmentTransactionId())
			.addValue("accountId", transaction.getAccountId())
			.addValue("itemId", item.itemId())
			.addValue("userId", item.userId())
			.addValue("securityId", transaction.getSecurityId())
			.addValue("date", transaction.getDate())
			.addValue("name", transaction.getName())
			.addValue("quantity", PlaidDecimals.of(transaction.getQuantity()))
			.addValue("amount", PlaidDecimals.of(transaction.getAmount()))
			.addValue("price", PlaidDecimals.of(transaction.getPrice()))
			.addValue("fees", PlaidDecimals.of(transaction.getFees()))
			.addValue("type", (transaction.getType() != null) ? transaction.getType().getValue() : "unknown")
			.addValue("subtype", (transaction.getSubtype() != null) ? transaction.getSubtype().getValue() : null)
			.addValue("iso", transaction.getIsoCurrencyCode())
			.addValue("unofficial", transaction.getUnofficialCurrencyCode())
			.addValue("cancelId", transaction.getCancelTransactionId())
			.addValue("datetime", transaction.getTransactionDatetime())
			.addValue("syncedAt", Timestamp.from(outcome.fetchedAt()));
	}

	/** A window fetched for one item, and whether it was the full one. */
	record Fetch(InvestmentTransactionsWindow window, boolean full) {
	}

}
