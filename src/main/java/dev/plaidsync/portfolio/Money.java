package dev.plaidsync.portfolio;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * An amount as a decimal string to the cent of its currency (the currency's minor units:
 * "5150.00" in USD, "5150" in JPY; two decimals for an unofficial code or
 * {@code UNKNOWN}, where Plaid gave none), rounded half-up, with its currency code, as
 * every amount of the user API is shown. Unit prices and average costs are
 * {@link UnitPrice}s.
 */
record Money(String amount, String currency) {

	/** The amount in its currency, or null when there is no amount. */
	static Money of(BigDecimal amount, String currency) {
		return (amount != null) ? new Money(toMinorUnits(amount, currency), currency) : null;
	}

	static String toMinorUnits(BigDecimal amount, String currency) {
		return amount.setScale(minorUnits(currency), RoundingMode.HALF_UP).toPlainString();
	}

	private static int minorUnits(String currency) {
		try {
			int digits = Currency.getInstance(currency).getDefaultFractionDigits();
			return (digits >= 0) ? digits : 2;
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			return 2;
		}
	}

	/**
	 * A price or cost of one unit, at the precision Plaid reported or the ledger computed
	 * (not rounded to the cent): {@code {"per_unit": "10.4237", "currency": "USD"}}.
	 */
	record UnitPrice(@com.fasterxml.jackson.annotation.JsonProperty("per_unit") String perUnit, String currency) {

		static UnitPrice of(BigDecimal perUnit, String currency) {
			return (perUnit != null) ? new UnitPrice(perUnit.toPlainString(), currency) : null;
		}

	}

}
