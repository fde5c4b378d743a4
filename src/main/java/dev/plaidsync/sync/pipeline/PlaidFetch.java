package dev.plaidsync.sync.pipeline;

import java.sql.SQLException;
import java.time.Instant;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.plaidsync.items.AccessTokenUnreadable;
import dev.plaidsync.items.ItemCredentials;
import dev.plaidsync.plaid.ItemAccess;
import dev.plaidsync.plaid.PlaidFailure;

import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * Fetches one item from Plaid, on the fetch pool, outside any transaction. An item's own
 * failure becomes a {@link FetchOutcome.Failed} that the writer records while the job
 * goes on; a systemic one (our credentials, our environment) is thrown and fails the job.
 */
public class PlaidFetch<T> implements Function<SyncItem, FetchOutcome<T>> {

	private final ItemCredentials credentials;

	private final BiFunction<SyncItem, ItemAccess, T> fetch;

	public PlaidFetch(ItemCredentials credentials, BiFunction<SyncItem, ItemAccess, T> fetch) {
		this.credentials = credentials;
		this.fetch = fetch;
	}

	@Override
	public FetchOutcome<T> apply(SyncItem item) {
		Instant fetchedAt = Instant.now();
		try {
			ItemAccess access = this.credentials.access(item.itemId(), item.institutionId(), item.keyId(),
					item.ciphertext());
			return new FetchOutcome.Fetched<>(item, this.fetch.apply(item, access), fetchedAt);
		}
		catch (PlaidFailure failure) {
			if (failure.kind() == PlaidFailure.Kind.SYSTEMIC) {
				throw failure;
			}
			if (ourDatabase(failure)) {
				throw new OurDatabaseFailed(failure);
			}
			return new FetchOutcome.Failed<>(item, failure.kind(), failure.errorCode(), failure.getMessage(),
					fetchedAt);
		}
		catch (AccessTokenUnreadable unreadable) {
			return new FetchOutcome.Failed<>(item, PlaidFailure.Kind.ITEM_FAILED, "ACCESS_TOKEN_UNREADABLE",
					unreadable.getMessage(), fetchedAt);
		}
		catch (DataAccessException | TransactionException database) {
			throw new OurDatabaseFailed(database);
		}
		catch (RuntimeException unexpected) {
			// One item's answer we cannot handle; should it happen to every item, the
			// failure share fails the run.
			return new FetchOutcome.Failed<>(item, PlaidFailure.Kind.ITEM_FAILED, "FETCH_FAILED", unexpected.toString(),
					fetchedAt);
		}
	}

	/**
	 * The shared budget lives in our database: when that is unreachable, no item could be
	 * fetched.
	 */
	private static boolean ourDatabase(Throwable failure) {
		for (Throwable cause = failure.getCause(); cause != null
				&& cause != cause.getCause(); cause = cause.getCause()) {
			if (cause instanceof DataAccessException || cause instanceof SQLException
					|| cause instanceof TransactionException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Our own database failed during a fetch: the run fails (and is resumed), the item is
	 * not at fault.
	 */
	static class OurDatabaseFailed extends RuntimeException {

		OurDatabaseFailed(Throwable cause) {
			super("The database failed while fetching from Plaid: " + cause, cause);
		}

	}

}
