package dev.plaidsync.ledger;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Tells settlement timing from lost transactions. An institution whose closing holdings
 * show a trade that Plaid dates a day or more later (T+1) makes two breaks of one
 * security with opposite differences, on consecutive snapshot pairs: together they net to
 * zero. Two such breaks whose later days are at most {@code businessDays} business days
 * apart are one timing difference; any other break is a break, which alerts only from
 * {@link #alertsFrom} on, once it is older than that window, since its reversal may still
 * come. Business days are Monday to Friday (exchange holidays are not known here, so they
 * count as business days).
 */
final class SettlementTiming {

	static final String BREAK = "break";

	static final String TIMING_DIFFERENCE = "timing_difference";

	private SettlementTiming() {
	}

	/**
	 * A break with its kind, and for a {@code break} the first day it alerts (null for a
	 * timing difference).
	 */
	record Classified(Reconciliation.Break found, String kind, LocalDate alertsFrom) {
	}

	/**
	 * Pairs each break, earliest first, with the earliest later unpaired break of the
	 * same security whose difference cancels it (within {@code tolerance}) within
	 * {@code businessDays} business days.
	 */
	static List<Classified> classify(List<Reconciliation.Break> breaks, int businessDays, BigDecimal tolerance) {
		List<Reconciliation.Break> ordered = new ArrayList<>(breaks);
		ordered.sort(Comparator.comparing(Reconciliation.Break::toDay)
			.thenComparing(Reconciliation.Break::fromDay)
			.thenComparing(Reconciliation.Break::securityId));
		boolean[] paired = new boolean[ordered.size()];
		for (int i = 0; i < ordered.size(); i++) {
			if (paired[i]) {
				continue;
			}
			Reconciliation.Break first = ordered.get(i);
			for (int j = i + 1; j < ordered.size(); j++) {
				Reconciliation.Break second = ordered.get(j);
				if (!paired[j] && second.securityId().equals(first.securityId())
						&& second.toDay().isAfter(first.toDay())
						&& businessDaysBetween(first.toDay(), second.toDay()) <= businessDays
						&& first.difference().add(second.difference()).abs().compareTo(tolerance) <= 0) {
					paired[i] = true;
					paired[j] = true;
					break;
				}
			}
		}
		List<Classified> classified = new ArrayList<>();
		for (int i = 0; i < ordered.size(); i++) {
			Reconciliation.Break found = ordered.get(i);
			classified.add(paired[i] ? new Classified(found, TIMING_DIFFERENCE, null)
					: new Classified(found, BREAK, alertsFrom(found.toDay(), businessDays)));
		}
		return classified;
	}

	/**
	 * The first day a break whose later snapshot is {@code toDay} is older than
	 * {@code businessDays} business days: the business day after the window.
	 */
	static LocalDate alertsFrom(LocalDate toDay, int businessDays) {
		LocalDate day = toDay;
		for (int counted = 0; counted <= businessDays;) {
			day = day.plusDays(1);
			if (isBusinessDay(day)) {
				counted++;
			}
		}
		return day;
	}

	/** Business days after {@code from} up to and including {@code to}. */
	static int businessDaysBetween(LocalDate from, LocalDate to) {
		int days = 0;
		for (LocalDate day = from.plusDays(1); !day.isAfter(to); day = day.plusDays(1)) {
			if (isBusinessDay(day)) {
				days++;
			}
		}
		return days;
	}

	private static boolean isBusinessDay(LocalDate day) {
		return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY;
	}

}
