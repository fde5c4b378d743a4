package dev.plaidsync.simulator;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * An investment transaction. {@code amount} is positive when cash leaves the account, as
 * in Plaid. {@code type} is buy, sell, cancel, cash, fee or transfer.
 * {@code transactionDatetime} is Plaid's {@code transaction_datetime}: sent for trades,
 * null otherwise.
 */
public record SimTransaction(String investmentTransactionId, String accountId, String securityId, LocalDate date,
		String name, BigDecimal quantity, BigDecimal amount, BigDecimal price, BigDecimal fees, String type,
		String subtype, String isoCurrencyCode, OffsetDateTime transactionDatetime) {

	/** A transaction without a time of day. */
	public SimTransaction(String investmentTransactionId, String accountId, String securityId, LocalDate date,
			String name, BigDecimal quantity, BigDecimal amount, BigDecimal price, BigDecimal fees, String type,
			String subtype, String isoCurrencyCode) {
		this(investmentTransactionId, accountId, securityId, date, name, quantity, amount, price, fees, type, subtype,
				isoCurrencyCode, null);
	}

}
