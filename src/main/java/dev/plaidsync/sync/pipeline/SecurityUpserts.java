package dev.plaidsync.sync.pipeline;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import com.plaid.client.model.Security;
import dev.plaidsync.sync.runtime.StorableText;

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
	 * Upserts securities; an older close price never overwrites a newer one, and a
	 * security that did not change is neither written nor locked.
	 */
	public void upsert(Collection<Security> securities) {
		Map<String, Security> byId = new TreeMap<>();
		securities.forEach((security) -> byId.putIfAbsent(security.getSecurityId(), security));
		if (byId.isEmpty()) {
			return;
		}
		SqlParameterSource[] rows = byId.values()
			.stream()
			.map((security) -> new MapSqlParameterSource().addValue("securityId", security.getSecurityId())
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
				.addValue("unofficial", security.getUnofficialCurrencyCode()))
			.toArray(SqlParameterSource[]::new);
		this.named.batchUpdate(
				"""
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
						""",
				this.text.storable(rows));
	}

}
