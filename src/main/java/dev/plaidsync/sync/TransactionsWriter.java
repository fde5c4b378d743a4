package dev.plaidsync.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.plaid.client.model.InvestmentTransaction;
import dev.plaidsync.plaid.TransactionsWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * Writes investment transactions: upserted by Plaid's id, {@code cancel} rows kept as Plaid returns them. Plaid
 * never lists removed transactions, so after a complete fetch of a window (every page), the stored rows of the
 * fetched accounts dated within it that Plaid no longer returned are deleted.
 */
class TransactionsWriter extends SyncWriter<TransactionsWriter.Fetch> {

	static final String SYNCED_AT = "transactions_synced_at";

	private static final Logger log = LoggerFactory.getLogger(TransactionsWriter.class);

	TransactionsWriter(SyncStore store, SyncProperties properties, SyncItemReaders.RunScope scope,
			SyncProgressLog progressLog) {
		super(store, properties, SYNCED_AT, scope, progressLog);
	}

	@Override
	void writeFresh(List<FetchOutcome.Fetched<Fetch>> fresh) {
		store().upsertSecurities(fresh.stream().flatMap((outcome) -> outcome.data().window().securities().stream()).toList());
		List<SqlParameterSource> rows = new ArrayList<>();
		for (FetchOutcome.Fetched<Fetch> outcome : fresh) {
			SyncItem item = outcome.item();
			TransactionsWindow window = outcome.data().window();
			Set<String> accounts = store().upsertInvestmentAccounts(item, window.accounts(), outcome.fetchedAt());
			List<InvestmentTransaction> kept = window.transactions().stream()
				.filter((transaction) -> accounts.contains(transaction.getAccountId()))
				.toList();
			kept.forEach((transaction) -> rows.add(row(item, transaction, outcome)));
			if (!rows.isEmpty()) {
				upsert(rows);
				rows.clear();
			}
			if (window.complete() && !accounts.isEmpty()) {
				int removed = store().jdbc().sql("""
						DELETE FROM investment_transactions
						WHERE account_id = ANY (:accounts) AND date BETWEEN :start AND :end
						AND NOT (investment_transaction_id = ANY (:returned))
						""")
					.param("accounts", accounts.toArray(String[]::new))
					.param("start", window.startDate())
					.param("end", window.endDate())
					.param("returned", kept.stream().map(InvestmentTransaction::getInvestmentTransactionId).toArray(String[]::new))
					.update();
				if (removed > 0) {
					log.info("Item {}: deleted {} transaction(s) that Plaid no longer returns between {} and {}",
							item.itemId(), removed, window.startDate(), window.endDate());
				}
			}
			Map<String, Object> columns = new HashMap<>();
			if (outcome.data().full() && window.complete()) {
				columns.put("transactions_full_synced_at", SyncStore.timestamp(outcome.fetchedAt()));
			}
			store().markItemSynced(item.itemId(), SYNCED_AT, outcome.fetchedAt(), columns);
		}
	}

	private void upsert(List<SqlParameterSource> rows) {
		store().named().batchUpdate("""
				INSERT INTO investment_transactions (investment_transaction_id, account_id, item_id, user_id, security_id,
				    date, name, quantity, amount, price, fees, type, subtype, iso_currency_code, unofficial_currency_code,
				    cancel_transaction_id, synced_at)
				VALUES (:id, :accountId, :itemId, :userId, :securityId, :date, :name, :quantity, :amount, :price, :fees,
				    :type, :subtype, :iso, :unofficial, :cancelId, :syncedAt)
				ON CONFLICT (investment_transaction_id) DO UPDATE SET
				    account_id = EXCLUDED.account_id, security_id = EXCLUDED.security_id, date = EXCLUDED.date,
				    name = EXCLUDED.name, quantity = EXCLUDED.quantity, amount = EXCLUDED.amount, price = EXCLUDED.price,
				    fees = EXCLUDED.fees, type = EXCLUDED.type, subtype = EXCLUDED.subtype,
				    iso_currency_code = EXCLUDED.iso_currency_code, unofficial_currency_code = EXCLUDED.unofficial_currency_code,
				    cancel_transaction_id = EXCLUDED.cancel_transaction_id, synced_at = EXCLUDED.synced_at
				""", store().storable(rows.toArray(SqlParameterSource[]::new)));
	}

	private static SqlParameterSource row(SyncItem item, InvestmentTransaction transaction, FetchOutcome.Fetched<Fetch> outcome) {
		return new MapSqlParameterSource().addValue("id", transaction.getInvestmentTransactionId())
			.addValue("accountId", transaction.getAccountId())
			.addValue("itemId", item.itemId())
			.addValue("userId", item.userId())
			.addValue("securityId", transaction.getSecurityId())
			.addValue("date", transaction.getDate())
			.addValue("name", transaction.getName())
			.addValue("quantity", SyncStore.decimal(transaction.getQuantity()))
			.addValue("amount", SyncStore.decimal(transaction.getAmount()))
			.addValue("price", SyncStore.decimal(transaction.getPrice()))
			.addValue("fees", SyncStore.decimal(transaction.getFees()))
			.addValue("type", (transaction.getType() != null) ? transaction.getType().getValue() : "unknown")
			.addValue("subtype", (transaction.getSubtype() != null) ? transaction.getSubtype().getValue() : null)
			.addValue("iso", transaction.getIsoCurrencyCode())
			.addValue("unofficial", transaction.getUnofficialCurrencyCode())
			.addValue("cancelId", transaction.getCancelTransactionId())
			.addValue("syncedAt", SyncStore.timestamp(outcome.fetchedAt()));
	}

	/** A window fetched for one item, and whether it was the full one. */
	record Fetch(TransactionsWindow window, boolean full) {
	}

}
