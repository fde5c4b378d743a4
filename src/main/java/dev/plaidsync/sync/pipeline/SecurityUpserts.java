package dev.plaidsync.sync.pipeline;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.plaid.client.model.FixedIncome;
import com.plaid.client.model.OptionContract;
import com.plaid.client.model.Security;
import com.plaid.client.model.YieldRate;
import dev.plaidsync.sync.runtime.StorableText;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;

/**
 * Writes {@code securities}, in the chunk's transaction. Rows are locked in security id
 * order, so that concurrent runs never deadlock.
 */
@Component
public class SecurityUpserts {

	private final NamedParameterJdbcTemplate named;

	private final StorableText text;

	SecurityUpserts(NamedParameterJdbcTemplate named, StorableText text) {
		this.named = named;
		this.text = text;
	}

	/**
	 * What describes a security, every column but its close price, the price's date and
	 * Plaid's {@code update_datetime} (when the close price was taken), which move only
	 * forward together.
	 */
	private static final List<String> DESCRIPTION = List.of("ticker_symbol", "name", "type", "subtype",
			"is_cash_equivalent", "isin", "cusip", "market_identifier_code", "iso_currency_code",
			"unofficial_currency_code", "option_contract_type", "option_expiration_date", "option_strike_price",
			"option_underlying_ticker", "fixed_income", "sector", "industry", "proxy_security_id",
			"institution_security_id");

	private static final List<String> COLUMNS = Stream.concat(Stream.of("security_id"), DESCRIPTION.stream()).toList();

	/**
	 * Upserts securities; an older close price never overwrites a newer one, and a
	 * security that did not change is neither written nor locked.
	 */
	public void upsert(Collection<Security> securities) {
		Map<String, Security> byId = new TreeMap<>();
		securities.forEach((security) -> byId.putIfAbsent(security.getSecurityId(), security));
		if (byId.isEmpty()) {
			return;
		}
		SqlParameterSource[] rows = byId.values().stream().map(SecurityUpserts::row).toArray(SqlParameterSource[]::new);
		this.named.batchUpdate(
				"""
						INSERT INTO securities AS s (%1$s, close_price, close_price_as_of, update_datetime, updated_at)
						SELECT v.*, now() FROM (VALUES (CAST(:securityId AS text), CAST(:ticker AS text), CAST(:name AS text),
						    CAST(:type AS text), CAST(:subtype AS text), CAST(:cashEquivalent AS boolean), CAST(:isin AS text),
						    CAST(:cusip AS text), CAST(:mic AS text), CAST(:iso AS text), CAST(:unofficial AS text),
						    CAST(:optionType AS text), CAST(:optionExpiration AS date), CAST(:optionStrike AS numeric),
						    CAST(:optionUnderlying AS text), CAST(:fixedIncome AS jsonb), CAST(:sector AS text),
						    CAST(:industry AS text), CAST(:proxy AS text), CAST(:institutionSecurityId AS text),
						    CAST(:closePrice AS numeric), CAST(:closePriceAsOf AS date), CAST(:updateDatetime AS timestamptz)))
						    AS v (%1$s, close_price, close_price_as_of, update_datetime)
						-- an unchanged row (every chunk brings CUR:USD and the popular tickers) is neither written nor locked
						WHERE NOT EXISTS (SELECT 1 FROM securities e WHERE e.security_id = v.security_id
						    AND (%2$s) IS NOT DISTINCT FROM (%3$s)
						    AND NOT coalesce((e.close_price_as_of IS NULL OR v.close_price_as_of >= e.close_price_as_of)
						        AND (e.close_price, e.close_price_as_of, e.update_datetime)
						            IS DISTINCT FROM (v.close_price, v.close_price_as_of, v.update_datetime), false))
						ON CONFLICT (security_id) DO UPDATE SET %4$s,
						    close_price = CASE WHEN s.close_price_as_of IS NULL OR EXCLUDED.close_price_as_of >= s.close_price_as_of
						                       THEN EXCLUDED.close_price ELSE s.close_price END,
						    close_price_as_of = CASE WHEN s.close_price_as_of IS NULL OR EXCLUDED.close_price_as_of >= s.close_price_as_of
						                       THEN EXCLUDED.close_price_as_of ELSE s.close_price_as_of END,
						    update_datetime = CASE WHEN s.close_price_as_of IS NULL OR EXCLUDED.close_price_as_of >= s.close_price_as_of
						                       THEN EXCLUDED.update_datetime ELSE s.update_datetime END,
						    updated_at = now()
						WHERE (%5$s) IS DISTINCT FROM (%6$s)
						   OR ((s.close_price_as_of IS NULL OR EXCLUDED.close_price_as_of >= s.close_price_as_of)
						       AND (s.close_price, s.close_price_as_of, s.update_datetime)
						           IS DISTINCT FROM (EXCLUDED.close_price, EXCLUDED.close_price_as_of, EXCLUDED.update_datetime))
						"""
					.formatted(String.join(", ", COLUMNS), prefixed("e.", DESCRIPTION), prefixed("v.", DESCRIPTION),
							String.join(", ",
									DESCRIPTION.stream().map((column) -> column + " = EXCLUDED." + column).toList()),
							prefixed("s.", DESCRIPTION), prefixed("EXCLUDED.", DESCRIPTION)),
				this.text.storable(rows));
	}

	private static MapSqlParameterSource row(Security security) {
		OptionContract option = security.getOptionContract();
		return new MapSqlParameterSource().addValue("securityId", security.getSecurityId())
			.addValue("ticker", security.getTickerSymbol())
			.addValue("name", security.getName())
			.addValue("type", security.getType())
			.addValue("subtype", security.getSubtype())
			.addValue("closePrice", PlaidDecimals.of(security.getClosePrice()))
			.addValue("closePriceAsOf", security.getClosePriceAsOf())
			.addValue("cashEquivalent", security.getIsCashEquivalent())
			.addValue("isin", security.getIsin())
			.addValue("cusip", security.getCusip())
			.addValue("mic", security.getMarketIdentifierCode())
			.addValue("iso", security.getIsoCurrencyCode())
			.addValue("unofficial", security.getUnofficialCurrencyCode())
			.addValue("optionType", (option != null) ? option.getContractType() : null)
			.addValue("optionExpiration", (option != null) ? option.getExpirationDate() : null)
			.addValue("optionStrike", (option != null) ? PlaidDecimals.of(option.getStrikePrice()) : null)
			.addValue("optionUnderlying", (option != null) ? option.getUnderlyingSecurityTicker() : null)
			.addValue("fixedIncome", fixedIncome(security.getFixedIncome()))
			.addValue("sector", security.getSector())
			.addValue("industry", security.getIndustry())
			.addValue("proxy", security.getProxySecurityId())
			.addValue("institutionSecurityId", security.getInstitutionSecurityId())
			.addValue("updateDatetime", security.getUpdateDatetime());
	}

	/** Plaid's {@code fixed_income} as JSON in Plaid's own field names, or null. */
	private static @Nullable String fixedIncome(@Nullable FixedIncome fixedIncome) {
		if (fixedIncome == null) {
			return null;
		}
		Map<String, Object> json = new LinkedHashMap<>();
		YieldRate yield = fixedIncome.getYieldRate();
		if (yield != null) {
			Map<String, Object> rate = new LinkedHashMap<>();
			rate.put("percentage", PlaidDecimals.of(yield.getPercentage()));
			rate.put("type", (yield.getType() != null) ? yield.getType().getValue() : null);
			json.put("yield_rate", rate);
		}
		json.put("maturity_date", Objects.toString(fixedIncome.getMaturityDate(), null));
		json.put("issue_date", Objects.toString(fixedIncome.getIssueDate(), null));
		json.put("face_value", PlaidDecimals.of(fixedIncome.getFaceValue()));
		return JsonMapper.shared().writeValueAsString(json);
	}

	private static String prefixed(String prefix, List<String> columns) {
		return String.join(", ", columns.stream().map((column) -> prefix + column).toList());
	}

}
