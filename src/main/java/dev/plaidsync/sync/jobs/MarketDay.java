package dev.plaidsync.sync.jobs;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Objects;

/**
 * The market day a holdings fetch belongs to, one for all the accounts of the fetch: the
 * newest {@code institution_price_as_of} among the fetch's holdings that falls on a
 * weekday (a holding priced on a Saturday or Sunday does not move the day; when every
 * price is on a weekend, the newest one), never later than the fetch's own date in the
 * market zone; a fetch without prices takes its own date. So an account whose prices lag
 * a day (a 401k's funds) is filed on the same day as the other accounts of its item, and
 * a Saturday fetch of Friday's closes on Friday.
 */
final class MarketDay {

	private MarketDay() {
	}

	static LocalDate of(Collection<LocalDate> priceDates, Instant fetchedAt, ZoneId marketZone) {
		LocalDate fetchDay = LocalDate.ofInstant(fetchedAt, marketZone);
		LocalDate newestWeekday = priceDates.stream()
			.filter(Objects::nonNull)
			.filter((day) -> !isWeekend(day))
			.max(LocalDate::compareTo)
			.orElse(null);
		LocalDate newest = (newestWeekday != null) ? newestWeekday
				: priceDates.stream().filter(Objects::nonNull).max(LocalDate::compareTo).orElse(fetchDay);
		return newest.isAfter(fetchDay) ? fetchDay : newest;
	}

	private static boolean isWeekend(LocalDate day) {
		return day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
	}

}
