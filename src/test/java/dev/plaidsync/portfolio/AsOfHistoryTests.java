package dev.plaidsync.portfolio;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * History with as-of semantics, each case with its numbers worked out by hand. Two
 * accounts of one item: a brokerage and a 401k whose fund prices lag a day, so its
 * snapshot is missing on the latest day.
 */
class AsOfHistoryTests {

	private static final AsOfHistory.Account BROKERAGE = new AsOfHistory.Account(1, "acct-brokerage", "Brokerage",
			true);

	private static final AsOfHistory.Account RETIREMENT = new AsOfHistory.Account(2, "acct-401k", "401k", true);

	private static final LocalDate WEDNESDAY = LocalDate.of(2026, 12, 2);

	private static final LocalDate THURSDAY = LocalDate.of(2026, 12, 3);

	private static final LocalDate FRIDAY = LocalDate.of(2026, 12, 4);

	private static final LocalDate MONDAY = LocalDate.of(2026, 12, 7);

	private static final LocalDate TUESDAY = LocalDate.of(2026, 12, 8);

	private static AsOfHistory.Snapshot usd(AsOfHistory.Account account, LocalDate day, String value) {
		return new AsOfHistory.Snapshot(account.key(), day, new String[] { "USD" },
				new BigDecimal[] { new BigDecimal(value) });
	}

	private static AsOfHistory.DayValue day(AsOfHistory.History history, LocalDate day) {
		return history.days()
			.stream()
			.filter((value) -> value.day().equals(day.toString()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no day " + day));
	}

	private static String total(AsOfHistory.DayValue day) {
		assertThat(day.totalValue()).hasSize(1);
		return day.totalValue().get(0).amount();
	}

	private static AsOfHistory.AccountValue account(AsOfHistory.DayValue day, AsOfHistory.Account account) {
		return day.accounts()
			.stream()
			.filter((value) -> value.accountId().equals(account.accountId()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + account.name() + " on " + day.day()));
	}

	@Test
	void theLatestDayCarriesTheLaggingAccountForwardInsteadOfDroppingIt() {
		// Thursday: brokerage 2,000.00 + 401k 3,100.00 = 5,100.00.
		// Friday: brokerage 2,050.00; the 401k has no Friday snapshot, so Thursday's
		// 3,100.00
		// is carried: 2,050.00 + 3,100.00 = 5,150.00 (not 2,050.00).
		AsOfHistory.History history = AsOfHistory.of(List.of(BROKERAGE, RETIREMENT), List
			.of(usd(BROKERAGE, THURSDAY, "2000"), usd(RETIREMENT, THURSDAY, "3100"), usd(BROKERAGE, FRIDAY, "2050")),
				THURSDAY, FRIDAY, 3);

		assertThat(total(day(history, THURSDAY))).isEqualTo("5100.00");
		AsOfHistory.DayValue friday = day(history, FRIDAY);
		assertThat(total(friday)).isEqualTo("5150.00");
		assertThat(account(friday, BROKERAGE).asOf()).isEqualTo(FRIDAY.toString());
		assertThat(account(friday, RETIREMENT).asOf()).isEqualTo(THURSDAY.toString());
		assertThat(account(friday, RETIREMENT).totalValue().get(0).amount()).isEqualTo("3100.00");
		assertThat(friday.stale()).isFalse();
	}

	@Test
	void everyDayOfTheRangeHasEveryAccountAndOldValuesAreMarkedStale() {
		// Snapshots Friday only (brokerage 2,050.00, 401k 3,100.00), range
		// Friday..Tuesday:
		// every day shows 5,150.00. Stale after 3 days: Monday is 3 days after Friday
		// (not
		// stale), Tuesday 4 (stale).
		AsOfHistory.History history = AsOfHistory.of(List.of(BROKERAGE, RETIREMENT),
				List.of(usd(BROKERAGE, FRIDAY, "2050"), usd(RETIREMENT, FRIDAY, "3100")), FRIDAY, TUESDAY, 3);

		assertThat(history.days()).hasSize(5);
		history.days().forEach((day) -> {
			assertThat(total(day)).isEqualTo("5150.00");
			assertThat(day.accounts()).hasSize(2);
		});
		assertThat(day(history, MONDAY).stale()).isFalse();
		assertThat(account(day(history, TUESDAY), RETIREMENT).stale()).isTrue();
		assertThat(day(history, TUESDAY).stale()).isTrue();
		assertThat(history.staleAfterDays()).isEqualTo(3);
	}

	@Test
	void aFailedFetchNeverLowersADayAndALateSnapshotFillsItsDayIn() {
		List<AsOfHistory.Snapshot> snapshots = new ArrayList<>(List.of(usd(BROKERAGE, WEDNESDAY, "2000"),
				usd(RETIREMENT, WEDNESDAY, "3000"), usd(BROKERAGE, FRIDAY, "2050"), usd(RETIREMENT, FRIDAY, "3100")));
		// Thursday's fetch failed: Wednesday's 2,000.00 + 3,000.00 = 5,000.00 is carried.
		AsOfHistory.History failed = AsOfHistory.of(List.of(BROKERAGE, RETIREMENT), snapshots, WEDNESDAY, FRIDAY, 3);
		assertThat(total(day(failed, THURSDAY))).isEqualTo("5000.00");
		assertThat(total(day(failed, FRIDAY))).isEqualTo("5150.00");

		// The 401k's Thursday snapshot arrives late (3,040.00): Thursday becomes 2,000.00
		// +
		// 3,040.00 = 5,040.00; the other days keep their own snapshots.
		snapshots.add(usd(RETIREMENT, THURSDAY, "3040"));
		AsOfHistory.History late = AsOfHistory.of(List.of(BROKERAGE, RETIREMENT), snapshots, WEDNESDAY, FRIDAY, 3);
		assertThat(total(day(late, WEDNESDAY))).isEqualTo("5000.00");
		assertThat(total(day(late, THURSDAY))).isEqualTo("5040.00");
		assertThat(account(day(late, THURSDAY), RETIREMENT).asOf()).isEqualTo(THURSDAY.toString());
		assertThat(total(day(late, FRIDAY))).isEqualTo("5150.00");
	}

	@Test
	void aSnapshotBeforeTheRangeIsCarriedInAndDaysBeforeAnySnapshotAreLeftOut() {
		// The 401k's last snapshot is Wednesday (3,000.00), before the range; the
		// brokerage's
		// first is Friday. Thursday: 401k only, 3,000.00. Friday: 2,050.00 + 3,000.00 =
		// 5,050.00.
		AsOfHistory.History history = AsOfHistory.of(List.of(BROKERAGE, RETIREMENT),
				List.of(usd(RETIREMENT, WEDNESDAY, "3000"), usd(BROKERAGE, FRIDAY, "2050")), THURSDAY, FRIDAY, 3);
		assertThat(total(day(history, THURSDAY))).isEqualTo("3000.00");
		assertThat(day(history, THURSDAY).accounts()).hasSize(1);
		assertThat(account(day(history, THURSDAY), RETIREMENT).asOf()).isEqualTo(WEDNESDAY.toString());
		assertThat(total(day(history, FRIDAY))).isEqualTo("5050.00");

		AsOfHistory.History before = AsOfHistory.of(List.of(BROKERAGE), List.of(usd(BROKERAGE, FRIDAY, "2050")),
				WEDNESDAY, FRIDAY, 3);
		assertThat(before.days()).extracting(AsOfHistory.DayValue::day).containsExactly(FRIDAY.toString());
	}

	@Test
	void anAccountPlaidNoLongerReportsEndsWithItsLastSnapshot() {
		// The 401k was closed after Thursday's snapshot: Friday shows the brokerage only.
		AsOfHistory.Account closed = new AsOfHistory.Account(2, "acct-401k", "401k", false);
		AsOfHistory.History history = AsOfHistory.of(List.of(BROKERAGE, closed), List
			.of(usd(BROKERAGE, THURSDAY, "2000"), usd(closed, THURSDAY, "3100"), usd(BROKERAGE, FRIDAY, "2050")),
				THURSDAY, FRIDAY, 3);
		assertThat(total(day(history, THURSDAY))).isEqualTo("5100.00");
		assertThat(total(day(history, FRIDAY))).isEqualTo("2050.00");
	}

	@Test
	void currenciesAreTotalledApart() {
		AsOfHistory.Snapshot twoCurrencies = new AsOfHistory.Snapshot(1, FRIDAY, new String[] { "CAD", "USD" },
				new BigDecimal[] { new BigDecimal("700.5"), new BigDecimal("2050") });
		AsOfHistory.History history = AsOfHistory.of(List.of(BROKERAGE, RETIREMENT),
				List.of(twoCurrencies, usd(RETIREMENT, FRIDAY, "3100")), FRIDAY, FRIDAY, 3);
		assertThat(day(history, FRIDAY).totalValue()).extracting(Money::amount, Money::currency)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("700.50", "CAD"),
					org.assertj.core.groups.Tuple.tuple("5150.00", "USD"));
	}

}
