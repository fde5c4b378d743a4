package dev.plaidsync.ledger;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * The average-cost position of one account and security computed from its transactions.
 * @param openQuantity units held after the last transaction
 * @param costBasis the open units' cost, to the cent
 * @param averageCost cost per open unit (null when none are open)
 * @param realizedGain proceeds of sells net of fees, less the average cost of the units sold, to the cent
 * @param firstDate the first transaction applied (null when none)
 * @param lastDate the last transaction applied
 * @param applied transactions that changed the position or its cost
 * @param cancelled transactions removed by a cancel, counting both the cancel and its original
 * @param unmatchedCancels cancels for which no original was found; they are left out
 * @param unexplainedQuantity units sold or transferred out beyond what the transactions had opened: the position is
 * older than the window, so its basis is incomplete
 * @param transfersWithoutBasis transfers in that carried neither an amount nor a price; they came in at zero cost
 */
public record PositionBasis(BigDecimal openQuantity, BigDecimal costBasis, BigDecimal averageCost,
		BigDecimal realizedGain, LocalDate firstDate, LocalDate lastDate, int applied, int cancelled,
		int unmatchedCancels, BigDecimal unexplainedQuantity, int transfersWithoutBasis) {
}
