package dev.plaidsync.sync;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import dev.plaidsync.common.UserScopedSession;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The securities a user holds or traded (in the stored holdings or transactions of their
 * items that are not removed), read as the user: the securities table is shared, so the
 * user's own holdings and transactions (row-level security, plus an owner filter) decide
 * which rows they see. Read-only and thread-safe.
 */
@Component
public class HeldSecurities {

	private final UserScopedSession session;

	HeldSecurities(UserScopedSession session) {
		this.session = session;
	}

	/**
	 * A security as Plaid last described it.
	 *
	 * @param currency the ISO code, else Plaid's unofficial code, else null
	 * @param held whether the user holds it now (else it appears in transactions only)
	 */
	public record HeldSecurity(String securityId, @Nullable String tickerSymbol, @Nullable String name,
			@Nullable String type, @Nullable String subtype, @Nullable BigDecimal closePrice,
			@Nullable LocalDate closePriceAsOf, @Nullable Boolean cashEquivalent, @Nullable String isin,
			@Nullable String cusip, @Nullable String marketIdentifierCode, @Nullable String currency, boolean held) {
	}

	/** By ticker (securities without one last), then by id. */
	public List<HeldSecurity> ofUser(UUID userId, List<String> itemIds) {
		return this.session.read(userId, (jdbc) -> jdbc.sql("""
				WITH held AS (
				    SELECT DISTINCT security_id FROM holdings WHERE user_id = :userId AND item_id = ANY (:items)
				), traded AS (
				    SELECT DISTINCT security_id FROM investment_transactions
				    WHERE user_id = :userId AND item_id = ANY (:items) AND security_id IS NOT NULL
				)
				SELECT s.security_id, s.ticker_symbol, s.name, s.type, s.subtype, s.close_price, s.close_price_as_of,
				       s.is_cash_equivalent, s.isin, s.cusip, s.market_identifier_code,
				       coalesce(s.iso_currency_code, s.unofficial_currency_code) AS currency,
				       EXISTS (SELECT 1 FROM held h WHERE h.security_id = s.security_id) AS held
				FROM securities s
				WHERE s.security_id IN (SELECT security_id FROM held UNION SELECT security_id FROM traded)
				ORDER BY s.ticker_symbol NULLS LAST, s.security_id
				""")
			.param("userId", userId)
			.param("items", itemIds.toArray(String[]::new))
			.query((row, number) -> new HeldSecurity(row.getString("security_id"), row.getString("ticker_symbol"),
					row.getString("name"), row.getString("type"), row.getString("subtype"),
					row.getBigDecimal("close_price"), row.getObject("close_price_as_of", LocalDate.class),
					(Boolean) row.getObject("is_cash_equivalent"), row.getString("isin"), row.getString("cusip"),
					row.getString("market_identifier_code"), row.getString("currency"), row.getBoolean("held")))
			.list());
	}

}
