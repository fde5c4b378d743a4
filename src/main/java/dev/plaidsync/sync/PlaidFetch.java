package dev.plaidsync.sync;

import java.time.Instant;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.plaidsync.items.AccessTokenUnreadable;
import dev.plaidsync.items.ItemCredentials;
import dev.plaidsync.plaid.ItemAccess;
import dev.plaidsync.plaid.PlaidFailure;

/**
 * Fetches one item from Plaid, on the fetch pool, outside any transaction. An item's own failure becomes a
 * {@link FetchOutcome.Failed} that the writer records while the job goes on; a systemic one (our credentials, our
 * environment) is thrown and fails the job.
 */
class PlaidFetch<T> implements Function<SyncItem, FetchOutcome<T>> {

	private final ItemCredentials credentials;

	private final BiFunction<SyncItem, ItemAccess, T> fetch;

	PlaidFetch(ItemCredentials credentials, BiFunction<SyncItem, ItemAccess, T> fetch) {
		this.credentials = credentials;
		this.fetch = fetch;
	}

	@Override
	public FetchOutcome<T> apply(SyncItem item) {
		Instant fetchedAt = Instant.now();
		try {
			ItemAccess access = this.credentials.access(item.itemId(), item.institutionId(), item.keyId(), item.ciphertext());
			return new FetchOutcome.Fetched<>(item, this.fetch.apply(item, access), fetchedAt);
		}
		catch (PlaidFailure failure) {
			if (failure.kind() == PlaidFailure.Kind.SYSTEMIC) {
				throw failure;
			}
			return new FetchOutcome.Failed<>(item, failure.kind(), failure.errorCode(), failure.getMessage());
		}
		catch (AccessTokenUnreadable unreadable) {
			return new FetchOutcome.Failed<>(item, PlaidFailure.Kind.ITEM_FAILED, "ACCESS_TOKEN_UNREADABLE",
					unreadable.getMessage());
		}
		catch (RuntimeException unexpected) {
			// One item's answer we cannot handle; should it happen to every item, the failure share fails the run.
			return new FetchOutcome.Failed<>(item, PlaidFailure.Kind.ITEM_FAILED, "FETCH_FAILED", unexpected.toString());
		}
	}

}
