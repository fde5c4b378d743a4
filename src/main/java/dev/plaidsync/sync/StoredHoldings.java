package dev.plaidsync.sync;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import dev.plaidsync.common.UserScopedSession;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The holdings the sync stored, with their securities, read as their user (row-level
 * security, plus an owner filter in the SQL); joins the caller's user-scoped read when
 * there is one. Read-only and thread-safe.
 */
@Component
public class StoredHoldings {

	private final UserScopedSession session;

	StoredHoldings(UserScopedSession session) {
		this.session = session;
	}

	/**
	 * One position as Plaid last reported it, with its security's description (null when
	 * the security is unknown).
	 *
	 * @param currency the holding's currency, {@code UNKNOWN} when Plaid gave none
	 */
	public record StoredHolding(String accountId, String itemId, String securityId, BigDecimal quantity,
			BigDecimal institutionPrice, LocalDate institutionPriceAsOf, BigDecimal institutionValue,
			BigDecimal costBasis, String currency, @Nullable String tickerSymbol, @Nullable String name,
			@Nullable String type, @Nullable String subtype) {
	}

	/**
	 * The user's holdings in these accounts of these items, by account, largest value
	 * first, then by security.
	 */
	public List<StoredHolding> inAccounts(UUID userId, Collection<String> accountIds, Collection<String> itemIds) {
		return this.session.read(userId, (jdbc) -> jdbc
			.sql("""
					SELECT h.account_id, h.item_id, h.security_id, h.quantity, h.institution_price, h.institution_price_as_of,
					       h.institution_value, h.cost_basis, coalesce(h.iso_currency_code, h.unofficial_currency_code, 'UNKNOWN') AS currency,
					       s.ticker_symbol, s.name, s.type, s.subtype
					FROM holdings h
					LEFT JOIN securities s ON s.security_id = h.security_id
					WHERE h.user_id = :userId AND h.account_id = ANY (:accounts) AND h.item_id = ANY (:items)
					ORDER BY h.account_id, h.institution_value DESC, h.security_id
					""")
			.param("userId", userId)
			.param("accounts", accountIds.toArray(String[]::new))
			.param("items", itemIds.toArray(String[]::new))
			.query((row, number) -> new StoredHolding(row.getString("account_id"), row.getString("item_id"),
					row.getString("security_id"), row.getBigDecimal("quantity"), row.getBigDecimal("institution_price"),
					row.getObject("institution_price_as_of", LocalDate.class), row.getBigDecimal("institution_value"),
					row.getBigDecimal("cost_basis"), row.getString("currency"), row.getString("ticker_symbol"),
					row.getString("name"), row.getString("type"), row.getString("subtype")))
			.list());
	}

}
