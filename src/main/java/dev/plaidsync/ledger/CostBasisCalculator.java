package dev.plaidsync.ledger;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Average-cost basis of one account's position in one security, from its transactions (the README's "Cost basis
 * from trades" lists the rules with worked examples):
 * <ol>
 * <li>A cancel removes itself and its original: the latest not yet cancelled transaction on or before its date whose
 * quantity is the cancel's negated (one whose amount is the cancel's negated is preferred). A cancel without one is
 * left out and counted.</li>
 * <li>Transactions apply by date; within a day, those that add units before those that remove them, then by id.</li>
 * <li>A split or stock distribution ({@code subtype} split, stock distribution) changes the units, not the cost.</li>
 * <li>A buy or a reinvestment ({@code type} buy, or a {@code subtype} ending in reinvestment) adds its units at its
 * amount (fees included), or units × price + fees when the amount is missing.</li>
 * <li>A transfer in, and any other transaction that adds units, adds them at its own basis: the absolute amount when
 * non-zero, else units × price; with neither it adds them at zero cost and is counted.</li>
 * <li>A sell removes units at the average cost; the realized gain is its proceeds (minus the amount, so net of fees)
 * less that cost. A transfer out, a fee paid in units and any other removal take units out at the average cost and
 * realize nothing.</li>
 * <li>Units removed beyond those open are counted as unexplained (the position predates the window); a sell's proceeds
 * are realized only for the part that was open.</li>
 * <li>Cash fees, dividends paid in cash and other transactions with no units do not touch the position.</li>
 * </ol>
 * Arithmetic is BigDecimal throughout, at 34 significant digits; the results are rounded half-up to the cent.
 * Stateless and thread-safe.
 */
public final class CostBasisCalculator {

	private static final MathContext PRECISION = MathContext.DECIMAL128;

	private static final Comparator<LedgerTransaction> ORDER = Comparator.comparing(LedgerTransaction::date)
		.thenComparing((t) -> t.quantityOrZero().signum() >= 0 ? 0 : 1)
		.thenComparing(LedgerTransaction::id);

	private CostBasisCalculator() {
	}

	public static PositionBasis basis(List<LedgerTransaction> transactions) {
		Set<String> removed = cancelled(transactions);
		int unmatched = (int) transactions.stream()
			.filter((t) -> t.isCancel() && !removed.contains(t.id()))
			.count();
		List<LedgerTransaction> ordered = transactions.stream()
			.filter((t) -> !t.isCancel() && !removed.contains(t.id()))
			.sorted(ORDER)
			.toList();
		BigDecimal units = BigDecimal.ZERO;
		BigDecimal cost = BigDecimal.ZERO;
		BigDecimal realized = BigDecimal.ZERO;
		BigDecimal unexplained = BigDecimal.ZERO;
		int applied = 0;
		int transfersWithoutBasis = 0;
		java.time.LocalDate first = null;
		java.time.LocalDate last = null;
		for (LedgerTransaction t : ordered) {
			BigDecimal quantity = t.quantityOrZero();
			if (quantity.signum() == 0) {
				continue;
			}
			applied++;
			first = (first == null) ? t.date() : first;
			last = t.date();
			if (isSplit(t)) {
				units = units.add(quantity);
				continue;
			}
			if (quantity.signum() > 0) {
				BigDecimal added;
				if (isBuy(t)) {
					added = (t.amount() != null) ? t.amount().abs()
							: quantity.multiply(orZero(t.price())).add(orZero(t.fees()));
				}
				else if (t.amount() != null && t.amount().signum() != 0) {
					added = t.amount().abs();
				}
				else if (t.price() != null && t.price().signum() != 0) {
					added = quantity.multiply(t.price());
				}
				else {
					added = BigDecimal.ZERO;
					transfersWithoutBasis++;
				}
				units = units.add(quantity);
				cost = cost.add(added);
				continue;
			}
			BigDecimal out = quantity.negate();
			BigDecimal fromOpen = out.min(units.max(BigDecimal.ZERO));
			unexplained = unexplained.add(out.subtract(fromOpen));
			BigDecimal removedCost = (units.signum() > 0)
					? cost.multiply(fromOpen, PRECISION).divide(units, PRECISION) : BigDecimal.ZERO;
			if ("sell".equals(t.type()) && fromOpen.signum() > 0) {
				BigDecimal proceeds = (t.amount() != null) ? t.amount().negate()
						: out.multiply(orZero(t.price())).subtract(orZero(t.fees()));
				BigDecimal openProceeds = proceeds.multiply(fromOpen, PRECISION).divide(out, PRECISION);
				realized = realized.add(openProceeds.subtract(removedCost));
			}
			units = units.subtract(fromOpen);
			cost = (units.signum() == 0) ? BigDecimal.ZERO : cost.subtract(removedCost);
		}
		BigDecimal average = (units.signum() > 0) ? cost.divide(units, PRECISION).setScale(6, RoundingMode.HALF_UP) : null;
		return new PositionBasis(units.stripTrailingZeros(), cents(cost), average, cents(realized), first, last, applied,
				removed.size(), unmatched, unexplained.stripTrailingZeros(), transfersWithoutBasis);
	}

	private static Set<String> cancelled(List<LedgerTransaction> transactions) {
		Set<String> removed = new HashSet<>();
		List<LedgerTransaction> cancels = transactions.stream()
			.filter(LedgerTransaction::isCancel)
			.sorted(Comparator.comparing(LedgerTransaction::date).thenComparing(LedgerTransaction::id))
			.toList();
		for (LedgerTransaction cancel : cancels) {
			List<LedgerTransaction> candidates = new ArrayList<>();
			for (LedgerTransaction t : transactions) {
				if (!t.isCancel() && !removed.contains(t.id()) && !t.date().isAfter(cancel.date())
						&& t.quantityOrZero().compareTo(cancel.quantityOrZero().negate()) == 0) {
					candidates.add(t);
				}
			}
			candidates.stream()
				.max(Comparator.comparing((LedgerTransaction t) -> sameAmount(t, cancel))
					.thenComparing(LedgerTransaction::date)
					.thenComparing(LedgerTransaction::id))
				.ifPresent((original) -> {
					removed.add(original.id());
					removed.add(cancel.id());
				});
		}
		return removed;
	}

	private static boolean sameAmount(LedgerTransaction original, LedgerTransaction cancel) {
		return original.amount() != null && cancel.amount() != null
				&& original.amount().compareTo(cancel.amount().negate()) == 0;
	}

	private static boolean isSplit(LedgerTransaction t) {
		return "split".equals(t.subtype()) || "stock distribution".equals(t.subtype());
	}

	private static boolean isBuy(LedgerTransaction t) {
		return "buy".equals(t.type()) || (t.subtype() != null && t.subtype().endsWith("reinvestment"));
	}

	private static BigDecimal orZero(BigDecimal value) {
		return (value != null) ? value : BigDecimal.ZERO;
	}

	private static BigDecimal cents(BigDecimal value) {
		return value.setScale(2, RoundingMode.HALF_UP);
	}

}
