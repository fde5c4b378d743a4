package dev.plaidsync.sync;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
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
	 * @param institutionPriceDatetime when the institution's price was taken, where Plaid
	 * sent it
	 */
	public record StoredHolding(String accountId, String itemId, String securityId, BigDecimal quantity,
			BigDecimal institutionPrice, LocalDate institutionPriceAsOf,
			@Nullable OffsetDateTime institutionPriceDatetime, BigDecimal institutionValue, BigDecimal costBasis,
			String currency, @Nullable String tickerSymbol, @Nullable String name, @Nullable String type,
			@Nullable String subtype, SecurityDetails security) {
	}

	/**
	 * What Plaid sent about a holding's security beyond its name and type; each null
	 * where Plaid sent none.
	 *
	 * @param option the option contract, for a derivative that is an option
	 * @param fixedIncome a bond's terms
	 * @param updateDatetime when the close price was taken
	 */
	public record SecurityDetails(@Nullable OptionContract option, @Nullable FixedIncome fixedIncome,
			@Nullable String sector, @Nullable String industry, @Nullable String proxySecurityId,
			@Nullable String institutionSecurityId, @Nullable OffsetDateTime updateDatetime) {
	}

	/** A fixed-income security's terms, as Plaid describes them. */
	public record FixedIncome(@Nullable BigDecimal yieldPercentage, @Nullable String yieldType,
			@Nullable LocalDate maturityDate, @Nullable LocalDate issueDate, @Nullable BigDecimal faceValue) {
	}

	/** An option's contract, as Plaid describes it. */
	public record OptionContract(@Nullable String contractType, @Nullable LocalDate expirationDate,
			@Nullable BigDecimal strikePrice, @Nullable String underlyingTicker) {
	}

	/**
	 * The user's holdings in these accounts of these items, by account, largest value
	 * first, then by security.
	 */
	public List<StoredHolding> inAccounts(UUID userId, Collection<String> accountIds, Collection<String> itemIds) {
		return this.session.read(userId, (jdbc) -> jdbc
			.sql("""
					SELECT h.account_id, h.item_id, h.security_id, h.quantity, h.institution_price, h.institution_price_as_of,
					       h.institution_price_datetime, h.institution_value, h.cost_basis,
					       coalesce(h.iso_currency_code, h.unofficial_currency_code, 'UNKNOWN') AS currency,
					       s.ticker_symbol, s.name, s.type, s.subtype, s.option_contract_type, s.option_expiration_date,
					       s.option_strike_price, s.option_underlying_ticker, s.fixed_income IS NOT NULL AS fixed_income,
					       CAST(s.fixed_income #>> '{yield_rate,percentage}' AS numeric) AS yield_percentage,
					       s.fixed_income #>> '{yield_rate,type}' AS yield_type,
					       CAST(s.fixed_income ->> 'maturity_date' AS date) AS maturity_date,
					       CAST(s.fixed_income ->> 'issue_date' AS date) AS issue_date,
					       CAST(s.fixed_income ->> 'face_value' AS numeric) AS face_value, s.sector,
					       s.industry, s.proxy_security_id, s.institution_security_id, s.update_datetime
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
					row.getObject("institution_price_as_of", LocalDate.class),
					row.getObject("institution_price_datetime", OffsetDateTime.class),
					row.getBigDecimal("institution_value"), row.getBigDecimal("cost_basis"), row.getString("currency"),
					row.getString("ticker_symbol"), row.getString("name"), row.getString("type"),
					row.getString("subtype"), details(row)))
			.list());
	}

	private static SecurityDetails details(ResultSet row) throws SQLException {
		String contractType = row.getString("option_contract_type");
		LocalDate expiration = row.getObject("option_expiration_date", LocalDate.class);
		BigDecimal strike = row.getBigDecimal("option_strike_price");
		String underlying = row.getString("option_underlying_ticker");
		boolean option = contractType != null || expiration != null || strike != null || underlying != null;
		return new SecurityDetails(option ? new OptionContract(contractType, expiration, strike, underlying) : null,
				row.getBoolean("fixed_income") ? new FixedIncome(row.getBigDecimal("yield_percentage"),
						row.getString("yield_type"), row.getObject("maturity_date", LocalDate.class),
						row.getObject("issue_date", LocalDate.class), row.getBigDecimal("face_value")) : null,
				row.getString("sector"), row.getString("industry"), row.getString("proxy_security_id"),
				row.getString("institution_security_id"), row.getObject("update_datetime", OffsetDateTime.class));
	}

}
