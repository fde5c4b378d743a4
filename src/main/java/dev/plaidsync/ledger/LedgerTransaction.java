package dev.plaidsync.ledger;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One investment transaction of one account and security, as Plaid reports it: {@code quantity} positive when units
 * come in, {@code amount} positive when cash leaves the account (a buy's amount includes its fees; a sell's is minus
 * the proceeds net of fees). Nullable numbers are Plaid's nulls.
 */
public record LedgerTransaction(String id, LocalDate date, String type, String subtype, BigDecimal quantity,
		BigDecimal amount, BigDecimal price, BigDecimal fees) {

	BigDecimal quantityOrZero() {
		return (this.quantity != null) ? this.quantity : BigDecimal.ZERO;
	}

	boolean isCancel() {
		return "cancel".equals(this.type);
	}

}
