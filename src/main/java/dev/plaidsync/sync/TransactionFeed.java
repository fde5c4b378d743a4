package dev.plaidsync.sync;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import dev.plaidsync.common.UserScopedSession;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The user's investment transactions by keyset: newest first, ordered by date then id
 * (both descending), each page starting strictly after the last row of the one before, so
 * a deep page costs what the first does and rows written meanwhile never shift a page.
 * Read as the user (row-level security, plus an owner filter in the SQL). Read-only and
 * thread-safe.
 */
@Component
public class TransactionFeed {

	private final UserScopedSession session;

	TransactionFeed(UserScopedSession session) {
		this.session = session;
	}

	/**
	 * What to read; a null member does not filter.
	 *
	 * @param types Plaid transaction types, any of them
	 * @param afterDate with {@code afterId}, the last row of the previous page
	 */
	public record Query(Collection<String> itemIds, @Nullable String accountId, @Nullable String securityId,
			@Nullable Collection<String> types, @Nullable LocalDate start, @Nullable LocalDate end,
			@Nullable LocalDate afterDate, @Nullable String afterId, int limit) {
	}

	/**
	 * One transaction as Plaid reported it, with its security's description (null when
	 * none or unknown).
	 *
	 * @param currency the ISO code, else Plaid's unofficial code, else null
	 */
	public record FeedTransaction(String investmentTransactionId, String accountId, String itemId, LocalDate date,
			@Nullable String name, String type, @Nullable String subtype, @Nullable BigDecimal quantity,
			@Nullable BigDecimal price, @Nullable BigDecimal fees, @Nullable BigDecimal amount,
			@Nullable String currency, @Nullable String securityId, @Nullable String tickerSymbol,
			@Nullable String securityName, @Nullable String securityType) {
	}

	/** Up to {@code query.limit()} transactions, newest first. */
	public List<FeedTransaction> read(UUID userId, Query query) {
		StringBuilder sql = new StringBuilder(
				"""
						SELECT t.investment_transaction_id, t.account_id, t.item_id, t.date, t.name, t.type, t.subtype, t.quantity,
						       t.price, t.fees, t.amount, coalesce(t.iso_currency_code, t.unofficial_currency_code) AS currency,
						       t.security_id, s.ticker_symbol, s.name AS security_name, s.type AS security_type
						FROM investment_transactions t
						LEFT JOIN securities s ON s.security_id = t.security_id
						WHERE t.user_id = :userId AND t.item_id = ANY (:items)
						""");
		if (query.accountId() != null) {
			sql.append(" AND t.account_id = :accountId");
		}
		if (query.securityId() != null) {
			sql.append(" AND t.security_id = :securityId");
		}
		if (query.types() != null) {
			sql.append(" AND t.type = ANY (:types)");
		}
		if (query.start() != null) {
			sql.append(" AND t.date >= :start");
		}
		if (query.end() != null) {
			sql.append(" AND t.date <= :end");
		}
		if (query.afterDate() != null) {
			sql.append(" AND (t.date, t.investment_transaction_id) < (:afterDate, :afterId)");
		}
		sql.append(" ORDER BY t.date DESC, t.investment_transaction_id DESC LIMIT :limit");
		return this.session.read(userId, (jdbc) -> {
			JdbcClient.StatementSpec statement = jdbc.sql(sql.toString())
				.param("userId", userId)
				.param("items", query.itemIds().toArray(String[]::new))
				.param("limit", query.limit());
			if (query.accountId() != null) {
				statement = statement.param("accountId", query.accountId());
			}
			if (query.securityId() != null) {
				statement = statement.param("securityId", query.securityId());
			}
			if (query.types() != null) {
				statement = statement.param("types", query.types().toArray(String[]::new));
			}
			if (query.start() != null) {
				statement = statement.param("start", query.start());
			}
			if (query.end() != null) {
				statement = statement.param("end", query.end());
			}
			if (query.afterDate() != null) {
				statement = statement.param("afterDate", query.afterDate()).param("afterId", query.afterId());
			}
			return statement
				.query((row, number) -> new FeedTransaction(row.getString("investment_transaction_id"),
						row.getString("account_id"), row.getString("item_id"), row.getObject("date", LocalDate.class),
						row.getString("name"), row.getString("type"), row.getString("subtype"),
						row.getBigDecimal("quantity"), row.getBigDecimal("price"), row.getBigDecimal("fees"),
						row.getBigDecimal("amount"), row.getString("currency"), row.getString("security_id"),
						row.getString("ticker_symbol"), row.getString("security_name"), row.getString("security_type")))
				.list();
		});
	}

}
