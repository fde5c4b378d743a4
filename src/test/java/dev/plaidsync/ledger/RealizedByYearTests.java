package dev.plaidsync.ledger;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Realized gains by calendar year at average cost, worked out by hand. */
class RealizedByYearTests {

	private static LedgerTransaction trade(String id, String date, String type, String quantity, String amount,
			String price) {
		return new LedgerTransaction(id, LocalDate.parse(date), type, type, new BigDecimal(quantity),
				new BigDecimal(amount), new BigDecimal(price), BigDecimal.ZERO);
	}

	@Test
	void aPositionClosedInItsSecondYearRealizesInEach() {
		// 2025: buy 10 @ 10.00 (100.00) and 10 @ 20.00 (200.00): 20 units cost 300.00,
		// average
		// 15.00; sell 5 @ 30.00: 150.00 - 5 x 15.00 = 75.00 realized in 2025; 15 units
		// cost 225.00.
		// A sell of 2 @ 50.00 on 2025-12-30 is cancelled on 2026-01-05: it realizes
		// nothing.
		// 2026: sell the 15 @ 12.00: 180.00 - 225.00 = -45.00 realized in 2026; closed.
		List<LedgerTransaction> transactions = List.of(trade("t1", "2025-03-03", "buy", "10", "100.00", "10"),
				trade("t2", "2025-06-02", "buy", "10", "200.00", "20"),
				trade("t3", "2025-09-01", "sell", "-5", "-150.00", "30"),
				trade("t4", "2025-12-30", "sell", "-2", "-100.00", "50"),
				new LedgerTransaction("t5", LocalDate.parse("2026-01-05"), "cancel", "sell", new BigDecimal("2"),
						new BigDecimal("100.00"), new BigDecimal("50"), BigDecimal.ZERO),
				trade("t6", "2026-02-02", "sell", "-15", "-180.00", "12"));

		Map<Integer, BigDecimal> byYear = CostBasisCalculator.realizedByYear(transactions, "USD", BigDecimal.ONE);

		assertThat(byYear).containsOnlyKeys(2025, 2026);
		assertThat(byYear.get(2025)).isEqualByComparingTo("75.00");
		assertThat(byYear.get(2026)).isEqualByComparingTo("-45.00");
		PositionBasis now = CostBasisCalculator.basis(transactions, "USD", BigDecimal.ONE);
		assertThat(now.openQuantity()).isEqualByComparingTo("0");
		// the years add up to the position's whole realized gain: 75.00 - 45.00 = 30.00
		assertThat(now.realizedGain()).isEqualByComparingTo("30.00");
	}

	@Test
	void aYearWithoutSalesRealizesNothing() {
		assertThat(CostBasisCalculator.realizedByYear(List.of(trade("t1", "2025-03-03", "buy", "10", "100.00", "10")),
				"USD", BigDecimal.ONE))
			.isEmpty();
	}

}
