package dev.plaidsync.common;

import java.util.List;

/**
 * One page of a list and how many rows the whole list holds. Totals are counted up to
 * {@value #COUNT_CAP} (an index walk that stops there, never a count of a whole table):
 * beyond it {@code totalExact} is false and {@code total} is the cap, and an operator
 * narrows the filter rather than pages.
 */
public record Page<T>(List<T> items, long total, boolean totalExact) {

	public static final int COUNT_CAP = 10_000;

	/**
	 * The limit for a capped count:
	 * {@code SELECT count(*) FROM (SELECT 1 ... LIMIT :cap) AS matching}.
	 */
	public static final int COUNT_LIMIT = COUNT_CAP + 1;

	/**
	 * @param counted what a count limited to {@link #COUNT_LIMIT} answered
	 */
	public static <T> Page<T> of(List<T> items, long counted) {
		return new Page<>(List.copyOf(items), Math.min(counted, COUNT_CAP), counted <= COUNT_CAP);
	}

}
