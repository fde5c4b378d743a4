package dev.plaidsync.sync.jobs;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The market day of a holdings fetch: one day for all its accounts, from the fetch's
 * prices and its own date in New York.
 */
class MarketDayTests {

	private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

	private static final LocalDate THURSDAY = LocalDate.of(2026, 12, 3);

	private static final LocalDate FRIDAY = LocalDate.of(2026, 12, 4);

	private static final LocalDate SATURDAY = LocalDate.of(2026, 12, 5);

	private static final LocalDate MONDAY = LocalDate.of(2026, 12, 7);

	@Test
	void aLaggingAccountsPricesDoNotMoveTheFetchsDay() {
		// brokerage priced Friday, the 401k's funds still Thursday; fetched Friday 21:00
		// in New York
		List<LocalDate> prices = List.of(FRIDAY, FRIDAY, THURSDAY, THURSDAY, THURSDAY);

		assertThat(MarketDay.of(prices, Instant.parse("2026-12-05T02:00:00Z"), NEW_YORK)).isEqualTo(FRIDAY);
	}

	@Test
	void oneHoldingPricedOnASaturdayDoesNotMoveTheDay() {
		List<LocalDate> prices = List.of(FRIDAY, FRIDAY, SATURDAY);

		assertThat(MarketDay.of(prices, Instant.parse("2026-12-05T15:00:00Z"), NEW_YORK)).isEqualTo(FRIDAY);
		// fetched on Monday morning, before any Monday price: still Friday's close
		assertThat(MarketDay.of(prices, Instant.parse("2026-12-07T13:00:00Z"), NEW_YORK)).isEqualTo(FRIDAY);
	}

	@Test
	void whenEveryPriceIsOnAWeekendTheNewestCounts() {
		assertThat(MarketDay.of(List.of(SATURDAY, SATURDAY), Instant.parse("2026-12-05T15:00:00Z"), NEW_YORK))
			.isEqualTo(SATURDAY);
	}

	@Test
	void aPriceDatedAfterTheFetchIsCappedAtTheFetchsDateInNewYork() {
		// 2026-12-05T03:00Z is Friday 22:00 in New York
		assertThat(MarketDay.of(List.of(MONDAY), Instant.parse("2026-12-05T03:00:00Z"), NEW_YORK)).isEqualTo(FRIDAY);
	}

	@Test
	void aFetchWithoutPricesTakesItsDateInNewYork() {
		assertThat(MarketDay.of(List.of(), Instant.parse("2026-12-08T02:00:00Z"), NEW_YORK)).isEqualTo(MONDAY);
		assertThat(MarketDay.of(Arrays.asList((LocalDate) null), Instant.parse("2026-12-08T05:00:00Z"), NEW_YORK))
			.isEqualTo(LocalDate.of(2026, 12, 8));
	}

}
