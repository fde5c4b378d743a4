package dev.plaidsync.sync;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import dev.plaidsync.common.UserScopedSession;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The investment transactions the sync stored. The reads for a user run as that user
 * (row-level security, plus an owner filter in the SQL) and join the caller's user-scoped
 * read when there is one; the per-account reads run as the engine. Read-only and
 * thread-safe.
 */
@Component
public class InvestmentTransactions {

	private final UserScopedSession session;

	private final JdbcClient jdbc;

	InvestmentTransactions(UserScopedSession session, JdbcClient jdbc) {
		this.session = session;
		this.jdbc = jdbc;
	}

	/**
	 * One transaction as Plaid reported it, with its security's description (null when
	 * none or unknown).
	 *
	 * @param currency the ISO code, else Plaid's unofficial code, else null
	 */
	public record StoredTransaction(String investmentTransactionId, String accountId, String itemId, LocalDate date,
			String name, String type, @Nullable String subtype, @Nullable BigDecimal quantity,
			@Nullable BigDecimal price, @Nullable BigDecimal fees, @Nullable BigDecimal amount,
			@Nullable String currency, @Nullable String securityId, @Nullable String tickerSymbol,
			@Nullable String securityName, @Nullable String securityType, @Nullable OffsetDateTime datetime) {
	}

	/** One page of transactions and how many match in all. */
	public record TransactionPage(List<StoredTransaction> transactions, long total) {
	}

	/**
	 * A transaction of a security, as the ledger computes positions from it.
	 *
	 * @param datetime Plaid's {@code transaction_datetime}, where it sent one
	 * @param currency the ISO code, else Plaid's unofficial code, else null
	 */
	public record SecurityTransaction(String accountId, String securityId, String investmentTransactionId,
			LocalDate date, @Nullable OffsetDateTime datetime, String type, String subtype, BigDecimal quantity,
			BigDecimal amount, BigDecimal price, BigDecimal fees, @Nullable String currency) {
	}

	/** The dates an account's stored transactions of one item span. */
	public record Span(String accountId, String itemId, LocalDate first, LocalDate last) {
	}

	/**
	 * The quantity of one security an account's transactions of one day add up to (null:
	 * no quantities).
	 */
	public record DayQuantity(LocalDate date, String securityId, @Nullable BigDecimal quantity) {
	}

	/**
	 * The user's transactions of these items dated from {@code start} to {@code end}, of
	 * one account when {@code accountId} is not null: newest first, in a stable order.
	 */
	public TransactionPage page(UUID userId, Collection<String> itemIds, LocalDate start, LocalDate end,
			String accountId, int page, int size) {
		String[] items = itemIds.toArray(String[]::new);
		return this.session.read(userId, (jdbc) -> {
			String filter = """
					FROM investment_transactions t
					LEFT JOIN securities s ON s.security_id = t.security_id
					WHERE t.user_id = :userId AND t.item_id = ANY (:items)
					AND t.date BETWEEN :start AND :end AND (CAST(:accountId AS text) IS NULL OR t.account_id = :accountId)
					""";
			long total = jdbc.sql("SELECT count(*) " + filter)
				.param("userId", userId)
				.param("items", items)
				.param("start", start)
				.param("end", end)
				.param("accountId", accountId)
				.query(Long.class)
				.single();
			List<StoredTransaction> rows = jdbc
				.sql("""
						SELECT t.investment_transaction_id, t.account_id, t.item_id, t.date, t.name, t.type, t.subtype, t.quantity,
						       t.price, t.fees, t.amount, coalesce(t.iso_currency_code, t.unofficial_currency_code) AS currency,
						       t.security_id, s.ticker_symbol, s.name AS security_name, s.type AS security_type,
						       t.transaction_datetime
						"""
						+ filter + " ORDER BY t.date DESC, t.investment_transaction_id LIMIT :limit OFFSET :offset")
				.param("userId", userId)
				.param("items", items)
				.param("start", start)
				.param("end", end)
				.param("accountId", accountId)
				.param("limit", size)
				.param("offset", (long) page * size)
				.query((row, number) -> new StoredTransaction(row.getString("investment_transaction_id"),
						row.getString("account_id"), row.getString("item_id"), row.getObject("date", LocalDate.class),
						row.getString("name"), row.getString("type"), row.getString("subtype"),
						row.getBigDecimal("quantity"), row.getBigDecimal("price"), row.getBigDecimal("fees"),
						row.getBigDecimal("amount"), row.getString("currency"), row.getString("security_id"),
						row.getString("ticker_symbol"), row.getString("security_name"), row.getString("security_type"),
						row.getObject("transaction_datetime", OffsetDateTime.class)))
				.list();
			return new TransactionPage(rows, total);
		});
	}

	/**
	 * The user's transactions that name a security, by account, security, date and id.
	 */
	public List<SecurityTransaction> ofSecurities(UUID userId) {
		return this.session.read(userId, (jdbc) -> jdbc
			.sql("""
					SELECT t.account_id, t.security_id, t.investment_transaction_id, t.date, t.transaction_datetime, t.type,
					       t.subtype, t.quantity, t.amount, t.price, t.fees,
					       coalesce(t.iso_currency_code, t.unofficial_currency_code) AS currency
					FROM investment_transactions t
					WHERE t.user_id = :userId AND t.security_id IS NOT NULL
					ORDER BY t.account_id, t.security_id, t.date, t.transaction_datetime NULLS LAST, t.investment_transaction_id
					""")
			.param("userId", userId)
			.query((row, number) -> new SecurityTransaction(row.getString("account_id"), row.getString("security_id"),
					row.getString("investment_transaction_id"), row.getObject("date", LocalDate.class),
					row.getObject("transaction_datetime", OffsetDateTime.class), row.getString("type"),
					row.getString("subtype"), row.getBigDecimal("quantity"), row.getBigDecimal("amount"),
					row.getBigDecimal("price"), row.getBigDecimal("fees"), row.getString("currency")))
			.list());
	}

	/**
	 * Per account and item of the user: the first and last date of its stored
	 * transactions.
	 */
	public List<Span> spans(UUID userId) {
		return this.session.read(userId,
				(jdbc) -> jdbc.sql("""
						SELECT t.account_id, t.item_id, min(t.date) AS first_date, max(t.date) AS last_date
						FROM investment_transactions t
						WHERE t.user_id = :userId
						GROUP BY t.account_id, t.item_id
						""")
					.param("userId", userId)
					.query((row, number) -> new Span(row.getString("account_id"), row.getString("item_id"),
							row.getObject("first_date", LocalDate.class), row.getObject("last_date", LocalDate.class)))
					.list());
	}

	/**
	 * As the engine: per day and security, the quantity of an account's transactions
	 * dated after {@code after} up to {@code through}.
	 */
	public List<DayQuantity> quantitiesByDay(String accountId, LocalDate after, LocalDate through) {
		return this.jdbc.sql("""
				SELECT date, security_id, sum(quantity) AS quantity FROM investment_transactions
				WHERE account_id = :accountId AND security_id IS NOT NULL AND date > :first AND date <= :last
				GROUP BY date, security_id
				""")
			.param("accountId", accountId)
			.param("first", after)
			.param("last", through)
			.query((row, number) -> new DayQuantity(row.getObject("date", LocalDate.class),
					row.getString("security_id"), row.getBigDecimal("quantity")))
			.list();
	}

}
