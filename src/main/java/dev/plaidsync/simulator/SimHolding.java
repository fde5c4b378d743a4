package dev.plaidsync.simulator;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * A holding of a simulated item. For options, {@code quantity} already counts underlying
 * units and {@code institutionValue} is what the institution reports, not quantity ×
 * price. {@code costBasis} may be null. Exactly one of the currency codes is set.
 * {@code institutionPriceDatetime} is when an exchange-traded price was taken (null for
 * funds and cash, priced once a day).
 */
public record SimHolding(String accountId, String securityId, BigDecimal quantity, BigDecimal institutionPrice,
		LocalDate institutionPriceAsOf, OffsetDateTime institutionPriceDatetime, BigDecimal institutionValue,
		BigDecimal costBasis, String isoCurrencyCode, String unofficialCurrencyCode) {
}
