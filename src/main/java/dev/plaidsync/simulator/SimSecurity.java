package dev.plaidsync.simulator;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A security as the simulator reports it on a given day. {@code type} is Plaid's security
 * type (cash, derivative, equity, etf, fixed income, mutual fund).
 */
public record SimSecurity(String securityId, String tickerSymbol, String name, String type, String subtype,
		boolean cashEquivalent, String isoCurrencyCode, BigDecimal closePrice, LocalDate closePriceAsOf,
		String marketIdentifierCode, String optionContractType, LocalDate optionExpiration, BigDecimal optionStrike,
		String optionUnderlying, LocalDate maturityDate, BigDecimal yieldPercentage) {
}
