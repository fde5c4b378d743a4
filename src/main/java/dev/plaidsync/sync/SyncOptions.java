package dev.plaidsync.sync;

import java.time.Duration;

import dev.plaidsync.plaid.CallPriority;
import org.jspecify.annotations.Nullable;

/**
 * How a run fetches: whose share of Plaid's budget it spends, how far back transactions
 * reach, and which recently synced items a sweep may skip.
 *
 * @param skipSyncedWithin items whose product was synced within this age are skipped;
 * null syncs all in scope
 */
public record SyncOptions(CallPriority priority, TransactionsWindow transactionsWindow,
		@Nullable Duration skipSyncedWithin) {

	public enum TransactionsWindow {

		/**
		 * The routine window (90 days by default), or the full one for an item never
		 * fully synced.
		 */
		ROUTINE,

		/** The full window (24 months). */
		FULL

	}

	public static SyncOptions interactive() {
		return new SyncOptions(CallPriority.INTERACTIVE, TransactionsWindow.ROUTINE, null);
	}

	public static SyncOptions interactive(TransactionsWindow window) {
		return new SyncOptions(CallPriority.INTERACTIVE, window, null);
	}

	/**
	 * A run an operator asked for: a sweep's share of the budget for scope ALL, an
	 * interactive one otherwise.
	 */
	public static SyncOptions requestedFor(SyncScope scope, TransactionsWindow window) {
		return (scope.kind() == SyncScope.Kind.ALL) ? sweep(window, null) : interactive(window);
	}

	public static SyncOptions sweep(TransactionsWindow window, @Nullable Duration skipSyncedWithin) {
		return new SyncOptions(CallPriority.SWEEP, window, skipSyncedWithin);
	}

}
