package dev.plaidsync.ledger;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reconciliation that knows settlement, each case worked out by hand. Snapshots on Monday
 * 2026-11-30 to Friday 2026-12-04 and the next Monday; a window of 3 business days.
 */
class SettlementTimingTests {

	private static final BigDecimal TOLERANCE = new BigDecimal("0.0001");

	private static final LocalDate MONDAY = LocalDate.of(2026, 11, 30);

	private static final LocalDate TUESDAY = LocalDate.of(2026, 12, 1);

	private static final LocalDate WEDNESDAY = LocalDate.of(2026, 12, 2);

	private static final LocalDate THURSDAY = LocalDate.of(2026, 12, 3);

	private static final LocalDate FRIDAY = LocalDate.of(2026, 12, 4);

	private static final LocalDate NEXT_MONDAY = LocalDate.of(2026, 12, 7);

	private static final LocalDate NEXT_TUESDAY = LocalDate.of(2026, 12, 8);

	private static Reconciliation.Break found(String security, LocalDate from, LocalDate to, String change,
			String transactions) {
		BigDecimal holdings = new BigDecimal(change);
		BigDecimal traded = new BigDecimal(transactions);
		return new Reconciliation.Break("acct", security, from, to, holdings, traded, holdings.subtract(traded));
	}

	@Test
	void aTradeInTheClosingHoldingsThatPlaidDatesADayLaterIsOneTimingDifference() {
		// Monday->Tuesday: holdings +10 (bought Tuesday), no transaction yet: difference
		// +10.
		// Tuesday->Wednesday: holdings 0, the buy of 10 dated Wednesday (T+1): difference
		// -10.
		// +10 - 10 = 0, one business day apart (<= 3): one timing difference, nothing
		// alerts.
		List<SettlementTiming.Classified> classified = SettlementTiming.classify(
				List.of(found("sec-a", MONDAY, TUESDAY, "10", "0"), found("sec-a", TUESDAY, WEDNESDAY, "0", "10")), 3,
				TOLERANCE);

		assertThat(classified).extracting(SettlementTiming.Classified::kind)
			.containsExactly("timing_difference", "timing_difference");
		assertThat(classified).extracting(SettlementTiming.Classified::alertsFrom).containsOnlyNulls();
	}

	@Test
	void oppositeBreaksFurtherApartThanTheWindowAreTwoBreaks() {
		// Monday->Tuesday +10, then Friday->next Tuesday -10: Tuesday to next Tuesday is
		// 5
		// business days (Wed, Thu, Fri, Mon, Tue) > 3: not settlement, two breaks.
		List<SettlementTiming.Classified> classified = SettlementTiming.classify(
				List.of(found("sec-a", MONDAY, TUESDAY, "10", "0"), found("sec-a", FRIDAY, NEXT_TUESDAY, "0", "10")), 3,
				TOLERANCE);

		assertThat(classified).extracting(SettlementTiming.Classified::kind).containsExactly("break", "break");
		assertThat(SettlementTiming.businessDaysBetween(TUESDAY, NEXT_TUESDAY)).isEqualTo(5);
	}

	@Test
	void breaksThatDoNotNetToZeroOrAreOfAnotherSecurityStayBreaks() {
		// +10 then -9.5: 0.5 left over. +10 of sec-a then -10 of sec-b: different
		// securities.
		List<SettlementTiming.Classified> classified = SettlementTiming.classify(
				List.of(found("sec-a", MONDAY, TUESDAY, "10", "0"), found("sec-a", TUESDAY, WEDNESDAY, "0", "9.5"),
						found("sec-b", TUESDAY, WEDNESDAY, "0", "10")),
				3, TOLERANCE);

		assertThat(classified).extracting(SettlementTiming.Classified::kind).containsOnly("break");
	}

	@Test
	void aBreakAlertsOnlyOnceOlderThanTheWindowInBusinessDays() {
		// A break whose later snapshot is Tuesday: Wed (1), Thu (2), Fri (3) are within
		// the
		// window; it alerts from the next Monday, the 4th business day.
		assertThat(SettlementTiming.alertsFrom(TUESDAY, 3)).isEqualTo(NEXT_MONDAY);
		// One on Thursday: Fri (1), Mon (2), Tue (3); it alerts from Wednesday
		// 2026-12-09.
		assertThat(SettlementTiming.alertsFrom(THURSDAY, 3)).isEqualTo(LocalDate.of(2026, 12, 9));
		// With a window of 0 it alerts from the next business day: Friday's from Monday.
		assertThat(SettlementTiming.alertsFrom(FRIDAY, 0)).isEqualTo(NEXT_MONDAY);

		List<SettlementTiming.Classified> single = SettlementTiming
			.classify(List.of(found("sec-a", MONDAY, TUESDAY, "10", "0")), 3, TOLERANCE);
		assertThat(single.get(0).kind()).isEqualTo("break");
		assertThat(single.get(0).alertsFrom()).isEqualTo(NEXT_MONDAY);
	}

	@Test
	void eachBreakPairsOnceSoATradeSettlingTwiceLeavesTheThirdBreak() {
		// +10 Tuesday, -10 Wednesday, -10 Thursday: the first two pair; Thursday's stays
		// a break.
		List<SettlementTiming.Classified> classified = SettlementTiming
			.classify(List.of(found("sec-a", MONDAY, TUESDAY, "10", "0"), found("sec-a", TUESDAY, WEDNESDAY, "0", "10"),
					found("sec-a", WEDNESDAY, THURSDAY, "0", "10")), 3, TOLERANCE);

		assertThat(classified).extracting(SettlementTiming.Classified::kind)
			.containsExactly("timing_difference", "timing_difference", "break");
		assertThat(classified.get(2).alertsFrom()).isEqualTo(LocalDate.of(2026, 12, 9));
	}

}
