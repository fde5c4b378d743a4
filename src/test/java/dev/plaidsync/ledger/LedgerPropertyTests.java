package dev.plaidsync.ledger;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random trade sequences drawn from a known ledger: buys, sells (sent with either sign of
 * quantity), short sales, covers and 2-for-1 splits, each with fees inside or outside the
 * amount. The calculator's open quantity and basis are the ledger's, to the cent, and
 * nothing is unexplained.
 */
class LedgerPropertyTests {

	private static final LocalDate START = LocalDate.of(2025, 1, 2);

	enum Kind {

		BUY, SELL, SHORT, COVER, SPLIT

	}

	record Step(Kind kind, int quantity, int priceCents, int feeCents, boolean feesInside, boolean positiveQuantity) {
	}

	@Property(tries = 300)
	void randomTradesFromAKnownLedgerGiveItsOpenQuantityAndBasis(@ForAll("steps") @Size(max = 40) List<Step> steps) {
		List<LedgerTransaction> transactions = new ArrayList<>();
		BigDecimal units = BigDecimal.ZERO;
		BigDecimal cost = BigDecimal.ZERO;
		for (Step step : steps) {
			BigDecimal price = BigDecimal.valueOf(step.priceCents(), 2);
			// fees at most half the gross of one unit: a trade whose fees exceed its
			// gross has no readable direction
			// in |amount|, and the ledger does not read the amount's sign
			BigDecimal fees = BigDecimal.valueOf(Math.min(step.feeCents(), step.priceCents() / 2), 2);
			String id = "t" + String.format("%03d", transactions.size());
			LocalDate date = START.plusDays(transactions.size());
			switch (step.kind()) {
				case BUY, COVER -> {
					boolean cover = step.kind() == Kind.COVER;
					if (cover ? units.signum() >= 0 : units.signum() < 0) {
						continue;
					}
					BigDecimal quantity = BigDecimal
						.valueOf(cover ? Math.min(step.quantity(), -units.intValue()) : step.quantity());
					BigDecimal gross = quantity.multiply(price);
					BigDecimal paid = gross.add(fees);
					transactions.add(new LedgerTransaction(id, date, "buy", cover ? "buy to cover" : "buy", quantity,
							step.feesInside() ? paid : gross, price, fees));
					if (cover) {
						BigDecimal closed = cost.multiply(quantity, MathContext.DECIMAL128)
							.divide(units.negate(), MathContext.DECIMAL128);
						units = units.add(quantity);
						cost = (units.signum() == 0) ? BigDecimal.ZERO : cost.subtract(closed);
					}
					else {
						units = units.add(quantity);
						cost = cost.add(paid);
					}
				}
				case SELL, SHORT -> {
					boolean shortSale = step.kind() == Kind.SHORT;
					if (shortSale ? units.signum() > 0 : units.signum() <= 0) {
						continue;
					}
					BigDecimal quantity = BigDecimal
						.valueOf(shortSale ? step.quantity() : Math.min(step.quantity(), units.intValue()));
					BigDecimal gross = quantity.multiply(price);
					BigDecimal received = gross.subtract(fees);
					BigDecimal sent = step.positiveQuantity() ? quantity : quantity.negate();
					transactions.add(new LedgerTransaction(id, date, "sell", shortSale ? "sell short" : "sell", sent,
							(step.feesInside() ? received : gross).negate(), price, fees));
					if (shortSale) {
						units = units.subtract(quantity);
						cost = cost.subtract(received);
					}
					else {
						BigDecimal closed = cost.multiply(quantity, MathContext.DECIMAL128)
							.divide(units, MathContext.DECIMAL128);
						units = units.subtract(quantity);
						cost = (units.signum() == 0) ? BigDecimal.ZERO : cost.subtract(closed);
					}
				}
				case SPLIT -> {
					if (units.signum() <= 0) {
						continue;
					}
					transactions.add(new LedgerTransaction(id, date, "transfer", "split", units, BigDecimal.ZERO,
							BigDecimal.ZERO, BigDecimal.ZERO));
					units = units.add(units);
				}
			}
		}
		PositionBasis basis = CostBasisCalculator.basis(transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo(units);
		assertThat(basis.costBasis()).isEqualTo(cost.setScale(2, RoundingMode.HALF_UP));
		assertThat(basis.unexplainedQuantity()).isEqualByComparingTo("0");
		assertThat(basis.basisKnown()).isTrue();
	}

	@Provide
	Arbitrary<List<Step>> steps() {
		Arbitrary<Step> step = Combinators
			.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(1, 50),
					Arbitraries.integers().between(1, 50_000), Arbitraries.integers().between(1, 2_000),
					Arbitraries.of(true, false), Arbitraries.of(true, false))
			.as(Step::new);
		return step.list();
	}

}
