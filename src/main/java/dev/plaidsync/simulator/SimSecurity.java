package dev.plaidsync.simulator;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * A security as the simulator reports it on a given day. {@code type} is Plaid's security
 * type (cash, derivative, equity, etf, fixed income, mutual fund). Funds and ETFs carry a
 * sector and industry, a retirement plan's funds the institution's own id, one
 * target-date fund a public proxy; {@code updateDatetime} is when the close price was
 * taken (null for cash).
 */
public record SimSecurity(String securityId, String tickerSymbol, String name, String type, String subtype,
		boolean cashEquivalent, String isoCurrencyCode, BigDecimal closePrice, LocalDate closePriceAsOf,
		String marketIdentifierCode, String optionContractType, LocalDate optionExpiration, BigDecimal optionStrike,
		String optionUnderlying, LocalDate maturityDate, BigDecimal yieldPercentage, String sector, String industry,
		String proxySecurityId, String institutionSecurityId, OffsetDateTime updateDatetime) {
}
