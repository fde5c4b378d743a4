package dev.plaidsync.sync;

import java.time.Instant;
import java.util.function.BiFunction;

import dev.plaidsync.items.AccessTokenUnreadable;
import dev.plaidsync.items.ItemCredentials;
import dev.plaidsync.plaid.ItemAccess;
import dev.plaidsync.plaid.PlaidFailure;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Fetches one item from Plaid. An item's own failure becomes a {@link FetchOutcome.Failed} that the writer records
 * while the job goes on; a systemic one (our credentials, our environment) is thrown and fails the job.
 */
class PlaidFetchProcessor<T> implements ItemProcessor<SyncItem, FetchOutcome<T>> {

	private final ItemCredentials credentials;

	private final BiFunction<SyncItem, ItemAccess, T> fetch;

	PlaidFetchProcessor(ItemCredentials credentials, BiFunction<SyncItem, ItemAccess, T> fetch) {
		this.credentials = credentials;
		this.fetch = fetch;
	}

	@Override
	public FetchOutcome<T> process(SyncItem item) {
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
	}

}
