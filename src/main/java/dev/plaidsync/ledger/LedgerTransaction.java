package dev.plaidsync.ledger;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * One investment transaction of one account and security, as Plaid reports it.
 * {@code amount} is positive when cash leaves the account; whether it includes
 * {@code fees} is read from the numbers, and its sign, like {@code quantity}'s, is not
 * trusted for direction (institutions send sells with a positive quantity): the
 * {@link LedgerRule} of its type and subtype says which way units and cash move. Nullable
 * values are Plaid's nulls; {@code datetime} is Plaid's {@code transaction_datetime}
 * (orders a day's trades where present) and {@code currency} its ISO or unofficial
 * currency code (null: the position's own).
 */
public record LedgerTransaction(String id, LocalDate date, OffsetDateTime datetime, String type, String subtype,
		BigDecimal quantity, BigDecimal amount, BigDecimal price, BigDecimal fees, String currency) {

	/** A transaction without a time of day, in the position's own currency. */
	public LedgerTransaction(String id, LocalDate date, String type, String subtype, BigDecimal quantity,
			BigDecimal amount, BigDecimal price, BigDecimal fees) {
		this(id, date, null, type, subtype, quantity, amount, price, fees, null);
	}

	BigDecimal quantityOrZero() {
		return (this.quantity != null) ? this.quantity : BigDecimal.ZERO;
	}

	boolean isCancel() {
		return "cancel".equals(this.type);
	}

	LedgerRule rule() {
		return PlaidSubtype.ruleOf(this.type, this.subtype);
	}

}
