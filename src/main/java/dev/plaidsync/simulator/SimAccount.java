package dev.plaidsync.simulator;

import java.math.BigDecimal;

/**
 * An account of a simulated item. {@code current} is the total value, {@code available}
 * the cash.
 */
public record SimAccount(String accountId, String name, String officialName, String mask, String type, String subtype,
		BigDecimal current, BigDecimal available, String isoCurrencyCode) {
}
