package dev.plaidsync.ledger;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;

/**
 * The average-cost position of one account and security computed from its transactions,
 * in the position's currency.
 *
 * @param openQuantity units held after the last transaction; negative for a short
 * @param costBasis the open units' cost, to the cent; for a short, minus the proceeds
 * still open
 * @param averageCost cost per open unit at full precision (null when none are open)
 * @param realizedGain proceeds of sells and covers net of fees, less the basis of the
 * units closed, plus returns of capital beyond the basis and what expired, to the cent
 * @param firstDate the first transaction applied (null when none)
 * @param lastDate the last transaction applied
 * @param applied transactions that changed the position or its cost
 * @param cancelled transactions removed by a cancel, counting both the cancel and its
 * original
 * @param unmatchedCancels cancels for which no original was found; they are left out
 * @param unexplainedQuantity units sold or covered beyond what the transactions had
 * opened: the position is older than the window, so its basis is incomplete
 * @param transfersWithoutBasis units that came in with a basis the transactions do not
 * carry (a transfer in, the new side of a merger, a spin-off); they count at the value
 * Plaid gave, or zero, and the basis is incomplete
 * @param basisCarriedOut basis that left with units for another security without being
 * realized (the old side of a merger, an exercised or assigned option's premium), to the
 * cent
 * @param otherCurrencies basis and realized gain kept in currencies other than the
 * position's, never added into it
 */
public record PositionBasis(BigDecimal openQuantity, BigDecimal costBasis, BigDecimal averageCost,
		BigDecimal realizedGain, LocalDate firstDate, LocalDate lastDate, int applied, int cancelled,
		int unmatchedCancels, BigDecimal unexplainedQuantity, int transfersWithoutBasis, BigDecimal basisCarriedOut,
		Map<String, CurrencyBasis> otherCurrencies) {

	/**
	 * The transactions explain the basis: nothing unexplained, unmatched, of unknown
	 * basis or in another currency.
	 */
	public boolean basisKnown() {
		return this.unexplainedQuantity.signum() == 0 && this.unmatchedCancels == 0 && this.transfersWithoutBasis == 0
				&& this.otherCurrencies.isEmpty();
	}

	/**
	 * The part of a position's basis and realized gain kept in one other currency, to the
	 * cent.
	 */
	public record CurrencyBasis(BigDecimal costBasis, BigDecimal realizedGain) {
	}

}
