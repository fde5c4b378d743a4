package dev.plaidsync.common;

import java.time.OffsetDateTime;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a module that must not be named by the operators' module (the ledger) records
 * about an item, for the item's timeline: each implementation reads its own table, newest
 * first through an index.
 */
public interface ItemHistorySource {

	/** The item's newest {@code limit} entries from this source. */
	List<Entry> newest(String itemId, int limit);

	/**
	 * @param kind what it is (RECONCILIATION, …)
	 * @param outcome how it ended, a status or a code
	 */
	record Entry(OffsetDateTime at, String kind, String title, @Nullable String outcome, @Nullable String detail) {
	}

}
