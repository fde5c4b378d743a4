package dev.plaidsync.sync.pipeline;

import java.time.Instant;

import dev.plaidsync.plaid.PlaidFailure;

/** What the processor made of one item: Plaid's data, or why there is none. */
public sealed interface FetchOutcome<T> {

	SyncItem item();

	/**
	 * @param fetchedAt taken before the call, so that a snapshot is never judged newer
	 * than it is
	 */
	record Fetched<T>(SyncItem item, T data, Instant fetchedAt) implements FetchOutcome<T> {
	}

	/**
	 * @param askedAt taken before the call, so that a status the item gained while the
	 * call was on its way (a repair) is not overwritten by this older answer
	 */
	record Failed<T>(SyncItem item, PlaidFailure.Kind kind, String errorCode, String message,
			Instant askedAt) implements FetchOutcome<T> {

		/**
		 * Whether this failure could mean that no item can succeed, and so counts towards
		 * failing the job. An item's own state (its user, its product, a permanent code)
		 * and one institution's trouble never do: they fail those items only, and the
		 * institution's are retried.
		 */
		boolean countsAsSystemicSignal() {
			return this.kind != PlaidFailure.Kind.ITEM_NEEDS_USER && this.kind != PlaidFailure.Kind.PRODUCT_NOT_READY
					&& !PlaidFailure.institutionScoped(this.errorCode)
					&& !PlaidFailure.permanentForItem(this.errorCode);
		}

		/**
		 * Whether a follow-up run may succeed where this one failed: the institution,
		 * Plaid or the network.
		 */
		boolean worthRetrying() {
			return (this.kind == PlaidFailure.Kind.TRANSIENT || this.kind == PlaidFailure.Kind.RATE_LIMITED
					|| this.kind == PlaidFailure.Kind.PRODUCT_NOT_READY)
					&& !PlaidFailure.permanentForItem(this.errorCode);
		}

	}

}
