package dev.plaidsync.portfolio;

import java.math.BigDecimal;

/**
 * An amount as a plain decimal string with its currency code ({@code UNKNOWN} where Plaid gave none), as every
 * amount of the user API is shown.
 */
record Money(String amount, String currency) {

	/** The amount in its currency, or null when there is no amount. */
	static Money of(BigDecimal amount, String currency) {
		return (amount != null) ? new Money(amount.toPlainString(), currency) : null;
	}

}
