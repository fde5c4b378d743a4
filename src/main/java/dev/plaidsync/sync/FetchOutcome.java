package dev.plaidsync.sync;

import java.time.Instant;

import dev.plaidsync.plaid.PlaidFailure;

/** What the processor made of one item: Plaid's data, or why there is none. */
sealed interface FetchOutcome<T> {

	SyncItem item();

	/** @param fetchedAt taken before the call, so that a snapshot is never judged newer than it is */
	record Fetched<T>(SyncItem item, T data, Instant fetchedAt) implements FetchOutcome<T> {
	}

	record Failed<T>(SyncItem item, PlaidFailure.Kind kind, String errorCode, String message)
			implements FetchOutcome<T> {

		/** Whether this failure points at something wider than the item, and so counts towards failing the job. */
		boolean countsAsSystemicSignal() {
			return this.kind != PlaidFailure.Kind.ITEM_NEEDS_USER && this.kind != PlaidFailure.Kind.PRODUCT_NOT_READY;
		}

	}

}
