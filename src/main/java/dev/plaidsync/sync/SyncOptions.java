package dev.plaidsync.sync;

import java.time.Duration;

import dev.plaidsync.plaid.CallPriority;
import org.jspecify.annotations.Nullable;

/**
 * How a run fetches: whose share of Plaid's budget it spends, how far back transactions
 * reach, which recently synced items a sweep may skip, and in which tier it waits to
 * start.
 *
 * @param skipSyncedWithin items whose product was synced within this age are skipped;
 * null syncs all in scope
 */
public record SyncOptions(CallPriority priority, TransactionsWindow transactionsWindow,
		@Nullable Duration skipSyncedWithin, LaunchTier tier) {

	public enum TransactionsWindow {

		/**
		 * The routine window (90 days by default), or the full one for an item never
		 * fully synced.
		 */
		ROUTINE,

		/** The full window (24 months). */
		FULL

	}

	/** A run a user asked for (a force-sync, a first sync, a repair). */
	public static SyncOptions interactive() {
		return interactive(TransactionsWindow.ROUTINE);
	}

	public static SyncOptions interactive(TransactionsWindow window) {
		return new SyncOptions(CallPriority.INTERACTIVE, window, null, LaunchTier.USER);
	}

	/**
	 * A webhook's run: the interactive share of the budget, in the webhook tier (the
	 * watched tier when the item's user is watching).
	 */
	public static SyncOptions webhook(TransactionsWindow window) {
		return new SyncOptions(CallPriority.INTERACTIVE, window, null, LaunchTier.WEBHOOK);
	}

	/**
	 * A run an operator asked for: a sweep's share of the budget for scope ALL, an
	 * interactive one otherwise; either starts in the first tier.
	 */
	public static SyncOptions requestedFor(SyncScope scope, TransactionsWindow window) {
		return (scope.kind() == SyncScope.Kind.ALL) ? new SyncOptions(CallPriority.SWEEP, window, null, LaunchTier.USER)
				: interactive(window);
	}

	public static SyncOptions sweep(TransactionsWindow window, @Nullable Duration skipSyncedWithin) {
		return new SyncOptions(CallPriority.SWEEP, window, skipSyncedWithin, LaunchTier.SWEEP);
	}

}
