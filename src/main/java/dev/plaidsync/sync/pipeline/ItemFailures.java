package dev.plaidsync.sync.pipeline;

import java.sql.SQLException;
import java.util.List;

import dev.plaidsync.items.AccountSyncRecords;
import dev.plaidsync.items.ItemStatusChanges;
import dev.plaidsync.plaid.PlaidFailure;
import dev.plaidsync.sync.ItemSyncFailed;
import dev.plaidsync.sync.runtime.ItemFailureLog;
import dev.plaidsync.sync.runtime.StorableText;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records the items a sync failed: on the item's status and its accounts (the tables are
 * {@code items}'), on the follow-up list when a later run may succeed, and in the
 * runtime's {@link ItemFailureLog}; and tells the rest of the engine
 * ({@link ItemSyncFailed}, in the transaction that records it on the item).
 */
@Component
class ItemFailures {

	/** The error code of an item whose data the database refused. */
	static final String UNSTORABLE = "UNSTORABLE_DATA";

	private final ItemStatusChanges itemStatus;

	private final AccountSyncRecords accounts;

	private final ItemRetryList retries;

	private final ItemFailureLog failureLog;

	private final StorableText text;

	private final TransactionTemplate independent;

	private final ApplicationEventPublisher events;

	ItemFailures(ItemStatusChanges itemStatus, AccountSyncRecords accounts, ItemRetryList retries,
			ItemFailureLog failureLog, StorableText text, PlatformTransactionManager transactionManager,
			ApplicationEventPublisher events) {
		this.events = events;
		this.itemStatus = itemStatus;
		this.accounts = accounts;
		this.retries = retries;
		this.failureLog = failureLog;
		this.text = text;
		this.independent = new TransactionTemplate(transactionManager);
		this.independent.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * Records an item's own failure on the item and its accounts, in the chunk's
	 * transaction, and in the execution's failure log in a transaction of its own, so
	 * that operators see the failed items even of a chunk that failed the run and rolled
	 * back.
	 */
	void record(long jobExecutionId, String jobName, FetchOutcome.Failed<?> failure, boolean sweep) {
		String itemId = failure.item().itemId();
		if (failure.kind() == PlaidFailure.Kind.ITEM_NEEDS_USER) {
			this.itemStatus.needsUser(itemId, failure.errorCode(), failure.message(), failure.askedAt());
			this.retries.clear(jobName, List.of(itemId));
		}
		else if (PlaidFailure.permanentForItem(failure.errorCode())) {
			this.itemStatus.broken(itemId, failure.errorCode(), failure.message(), failure.askedAt());
			this.retries.clear(jobName, List.of(itemId));
		}
		else {
			this.itemStatus.syncFailed(itemId, failure.errorCode(), failure.message());
		}
		if (failure.worthRetrying()) {
			this.retries.schedule(jobName, failure.item(), failure.errorCode(), sweep);
		}
		this.accounts.syncFailed(itemId, failure.errorCode());
		if (failure.item().userId() != null) {
			this.events.publishEvent(new ItemSyncFailed(itemId, failure.item().userId(), jobName, failure.errorCode(),
					failure.kind().name(), failure.worthRetrying()));
		}
		this.failureLog.record(jobExecutionId, jobName, itemId, failure.kind().name(), failure.errorCode(),
				failure.message());
	}

	/**
	 * Records an item whose write the database refused, once the transaction that tried
	 * it has rolled back (it may still hold the item's row lock): first in the
	 * execution's failure log, then on the item and its accounts, which the database may
	 * refuse too.
	 */
	void recordUnstorable(long jobExecutionId, String jobName, SyncItem item, Throwable failure) {
		String message = this.text.of(databaseError(failure));
		this.failureLog.record(jobExecutionId, jobName, item.itemId(), "UNSTORABLE", UNSTORABLE, message);
		this.independent.executeWithoutResult((status) -> {
			this.itemStatus.syncFailed(item.itemId(), UNSTORABLE, message);
			if (item.userId() != null) {
				this.events.publishEvent(
						new ItemSyncFailed(item.itemId(), item.userId(), jobName, UNSTORABLE, "UNSTORABLE", false));
			}
		});
		try {
			this.independent.executeWithoutResult((status) -> this.accounts.syncFailed(item.itemId(), UNSTORABLE));
		}
		catch (DataIntegrityViolationException refusedToo) {
			// The item's accounts are what the database refuses: the item and the failure
			// log still say so.
		}
	}

	/**
	 * The database's own words when there are some, else the failure's: SQLSTATE and the
	 * first line of the message, which names the constraint or the refused value's type,
	 * but neither the statement nor the row's data.
	 */
	static String databaseError(Throwable failure) {
		for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof SQLException sql) {
				SQLException reported = (sql.getNextException() != null) ? sql.getNextException() : sql;
				String words = String.valueOf(reported.getMessage()).lines().findFirst().orElse("").strip();
				return "SQLSTATE " + reported.getSQLState() + ": " + words;
			}
		}
		return failure.toString();
	}

}
