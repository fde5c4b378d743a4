package dev.plaidsync.ledger;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One worked example per rule, computed by hand (the same numbers are in
 * docs/portfolio.md).
 */
class CostBasisCalculatorTests {

	private static final LocalDate DAY = LocalDate.of(2026, 3, 2);

	private final List<LedgerTransaction> transactions = new ArrayList<>();

	@Test
	void averageCostAfterPartialSells() {
		buy(0, 10, "100", "5", "1005.00");
		buy(1, 5, "130", "5", "655.00");
		// 15 units cost 1,660.00 (fees included), 110.666… each
		sell(2, 6, "150", "5", "-895.00");
		// 6 × 1,660/15 = 664.00 leaves; proceeds net of fees 895.00: realized 231.00; 9
		// units cost 996.00
		sell(3, 4, "120", "0", "-480.00");
		// 4 × 996/9 = 442.666…: realized 37.333…; 5 units cost 553.333…
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo("5");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("553.33"));
		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("268.33"));
		assertThat(basis.averageCost()).isEqualByComparingTo("110.666667");
		assertThat(basis.applied()).isEqualTo(4);
		assertThat(basis.unexplainedQuantity()).isEqualByComparingTo("0");
	}

	@Test
	void aSplitChangesUnitsNotCost() {
		buy(0, 10, "50", "0", "500.00");
		add(1, "transfer", "split", "10", "0", "0", "0");
		// 2-for-1: 20 units still cost 500.00, 25.00 each
		sell(2, 5, "30", "0", "-150.00");
		// 5 × 25 = 125.00 leaves: realized 25.00; 15 units cost 375.00
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo("15");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("375.00"));
		assertThat(basis.averageCost()).isEqualByComparingTo("25");
		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("25.00"));
	}

	@Test
	void aCancelledTradeIsRemovedWithItsOriginal() {
		buy(0, 10, "20", "0", "200.00");
		buy(1, 5, "22", "0", "110.00");
		add(2, "cancel", "buy", "-5", "-110.00", "22", "0");
		// the 22.00 buy never happened: 10 units cost 200.00
		sell(3, 4, "25", "0", "-100.00");
		// 4 × 20 = 80.00 leaves: realized 20.00; 6 units cost 120.00
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo("6");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("120.00"));
		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("20.00"));
		assertThat(basis.cancelled()).isEqualTo(2);
		assertThat(basis.unmatchedCancels()).isZero();
	}

	@Test
	void aCancelWithoutItsOriginalIsLeftOutAndCounted() {
		buy(0, 10, "20", "0", "200.00");
		add(1, "cancel", "buy", "-3", "-60.00", "20", "0");
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo("10");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("200.00"));
		assertThat(basis.unmatchedCancels()).isEqualTo(1);
	}

	@Test
	void aTransferInBringsItsOwnBasisAndATransferOutRealizesNothing() {
		buy(0, 2, "100", "0", "200.00");
		add(1, "transfer", "transfer", "8", "0", "40", "0");
		// 8 × 40 = 320.00 comes in: 10 units cost 520.00, 52.00 each
		add(2, "transfer", "transfer", "-3", "0", "0", "0");
		// 3 × 52 = 156.00 leaves, nothing realized: 7 units cost 364.00
		sell(3, 2, "60", "0", "-120.00");
		// 2 × 52 = 104.00 leaves: realized 16.00; 5 units cost 260.00
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo("5");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("260.00"));
		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("16.00"));
		assertThat(basis.transfersWithoutBasis()).isEqualTo(1);
		assertThat(basis.basisKnown()).isFalse();
	}

	@Test
	void aTransferInWithAnAmountUsesTheAmount() {
		add(0, "transfer", "transfer", "4", "-350.00", "90", "0");
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("350.00"));
	}

	@Test
	void reinvestedDividendsAddUnitsAtTheirAmountAndCashDividendsDoNothing() {
		buy(0, 10, "10", "0", "100.00");
		add(1, "cash", "dividend", "0", "-12.00", "0", "0");
		add(2, "buy", "dividend reinvestment", "1.2", "12.00", "10", "0");
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo("11.2");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("112.00"));
		assertThat(basis.applied()).isEqualTo(2);
	}

	@Test
	void aFeePaidInUnitsLeavesAtAverageCostWithoutGain() {
		buy(0, 10, "30", "0", "300.00");
		add(1, "fee", "fund fee", "-0.5", "0", "0", "0");
		// 0.5 × 30 = 15.00 leaves: 9.5 units cost 285.00, nothing realized
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo("9.5");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("285.00"));
		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("0.00"));
	}

	@Test
	void sellingMoreThanTheWindowOpenedIsUnexplainedAndRealizesOnlyTheOpenPart() {
		buy(0, 4, "10", "0", "40.00");
		sell(1, 10, "15", "0", "-150.00");
		// 4 of the 10 were opened in the window: proceeds 4/10 × 150 = 60.00 against
		// 40.00; 6 units unexplained
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.openQuantity()).isEqualByComparingTo("0");
		assertThat(basis.costBasis()).isEqualTo(new BigDecimal("0.00"));
		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("20.00"));
		assertThat(basis.unexplainedQuantity()).isEqualByComparingTo("6");
	}

	@Test
	void aSameDayRoundTripBuysBeforeItSells() {
		sell(0, 5, "12", "0", "-60.00");
		buy(0, 5, "10", "0", "50.00");
		PositionBasis basis = CostBasisCalculator.basis(this.transactions);

		assertThat(basis.realizedGain()).isEqualTo(new BigDecimal("10.00"));
		assertThat(basis.unexplainedQuantity()).isEqualByComparingTo("0");
	}

	private void buy(int day, int quantity, String price, String fees, String amount) {
		add(day, "buy", "buy", Integer.toString(quantity), amount, price, fees);
	}

	private void sell(int day, int quantity, String price, String fees, String amount) {
		add(day, "sell", "sell", Integer.toString(-quantity), amount, price, fees);
	}

	private void add(int day, String type, String subtype, String quantity, String amount, String price, String fees) {
		this.transactions.add(new LedgerTransaction("t" + this.transactions.size(), DAY.plusDays(day), type, subtype,
				new BigDecimal(quantity), new BigDecimal(amount), new BigDecimal(price), new BigDecimal(fees)));
	}

}
