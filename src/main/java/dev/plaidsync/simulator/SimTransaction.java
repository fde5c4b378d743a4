package dev.plaidsync.simulator;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * An investment transaction. {@code amount} is positive when cash leaves the account, as
 * in Plaid. {@code type} is buy, sell, cancel, cash, fee or transfer.
 */
public record SimTransaction(String investmentTransactionId, String accountId, String securityId, LocalDate date,
		String name, BigDecimal quantity, BigDecimal amount, BigDecimal price, BigDecimal fees, String type,
		String subtype, String isoCurrencyCode) {
}
