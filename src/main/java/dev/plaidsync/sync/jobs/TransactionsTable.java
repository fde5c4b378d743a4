package dev.plaidsync.sync.jobs;

import java.time.LocalDate;
import java.util.List;

import dev.plaidsync.sync.runtime.StorableText;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes {@code investment_transactions}, in the chunk's transaction: upserted by Plaid's
 * id.
 */
@Component
class TransactionsTable {

	private final JdbcClient jdbc;

	private final NamedParameterJdbcTemplate named;

	private final StorableText text;

	TransactionsTable(JdbcClient jdbc, NamedParameterJdbcTemplate named, StorableText text) {
		this.jdbc = jdbc;
		this.named = named;
		this.text = text;
	}

	void upsert(List<SqlParameterSource> rows) {
		this.named.batchUpdate(
				"""
						INSERT INTO investment_transactions (investment_transaction_id, account_id, item_id, user_id, security_id,
						    date, name, quantity, amount, price, fees, type, subtype, iso_currency_code, unofficial_currency_code,
						    cancel_transaction_id, transaction_datetime, synced_at)
						VALUES (:id, :accountId, :itemId, :userId, :securityId, :date, :name, :quantity, :amount, :price, :fees,
						    :type, :subtype, :iso, :unofficial, :cancelId, :datetime, :syncedAt)
						ON CONFLICT (investment_transaction_id) DO UPDATE SET
						    account_id = EXCLUDED.account_id, security_id = EXCLUDED.security_id, date = EXCLUDED.date,
						    name = EXCLUDED.name, quantity = EXCLUDED.quantity, amount = EXCLUDED.amount, price = EXCLUDED.price,
						    fees = EXCLUDED.fees, type = EXCLUDED.type, subtype = EXCLUDED.subtype,
						    iso_currency_code = EXCLUDED.iso_currency_code, unofficial_currency_code = EXCLUDED.unofficial_currency_code,
						    cancel_transaction_id = EXCLUDED.cancel_transaction_id,
						    transaction_datetime = EXCLUDED.transaction_datetime, synced_at = EXCLUDED.synced_at
						""",
				this.text.storable(rows.toArray(SqlParameterSource[]::new)));
	}

	/**
	 * The ids of the account's stored transactions dated from {@code start} to
	 * {@code end}, in id order.
	 */
	List<String> storedIds(String account, LocalDate start, LocalDate end) {
		return this.jdbc.sql("""
				SELECT investment_transaction_id FROM investment_transactions
				WHERE account_id = :account AND date BETWEEN :start AND :end ORDER BY investment_transaction_id
				""").param("account", account).param("start", start).param("end", end).query(String.class).list();
	}

	/** Deletes these transactions of the account; returns how many there were. */
	int delete(String account, List<String> missing) {
		return this.jdbc
			.sql("""
					DELETE FROM investment_transactions WHERE account_id = :account AND investment_transaction_id = ANY (:missing)
					""")
			.param("account", account)
			.param("missing", missing.toArray(String[]::new))
			.update();
	}

}
