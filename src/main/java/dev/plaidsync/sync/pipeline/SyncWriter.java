package dev.plaidsync.sync.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import com.plaid.client.model.AccountBase;
import com.plaid.client.model.AccountType;
import dev.plaidsync.items.SyncedProduct;
import dev.plaidsync.sync.PortfolioRefreshed;
import dev.plaidsync.common.LogContext;
import dev.plaidsync.sync.SyncProgress;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.sync.runtime.SyncProgressLog;
import dev.plaidsync.sync.runtime.SyncProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What every sync writer does around its own data, in the chunk's one transaction: locks
 * the chunk's items, drops snapshots older than what is stored, records items' own
 * failures, keeps the progress counters that a restart and the operators read, and fails
 * the job when too many items fail for it to be their own fault.
 * <p>
 * When the database refuses a chunk, Batch rolls it back and writes its items one by one,
 * each in a transaction of its own (chunk scanning, see {@link SyncSteps}); an item
 * refused alone is skipped and recorded here, after its transaction rolled back, while
 * the others commit.
 */
public abstract class SyncWriter<T>
		implements ItemWriter<FetchOutcome<T>>, StepExecutionListener, SkipListener<FetchOutcome<T>, FetchOutcome<T>> {

	static final String TOTAL = SyncProgress.TOTAL;

	static final String FAILED = SyncProgress.FAILED;

	public static final String DROPPED_STALE = "sync.droppedStale";

	static final String LAST_ITEM_ID = "sync.lastItemId";

	static final String SYSTEMIC_SIGNALS = "sync.systemicSignals";

	private static final Logger log = LoggerFactory.getLogger(SyncWriter.class);

	private final ChunkSettlement settlement;

	private final SyncProperties properties;

	private final String syncedAtColumn;

	private final SyncItemReaders.RunScope scope;

	private final SyncProgressLog progressLog;

	private StepExecution stepExecution;

	protected SyncWriter(ChunkSettlement settlement, SyncProperties properties, String syncedAtColumn,
			SyncItemReaders.RunScope scope, SyncProgressLog progressLog) {
		this.settlement = settlement;
		this.properties = properties;
		this.syncedAtColumn = syncedAtColumn;
		this.scope = scope;
		this.progressLog = progressLog;
	}

	/**
	 * Writes snapshots that are at least as new as what is stored, items locked, ordered
	 * by item id.
	 */
	protected abstract void writeFresh(List<FetchOutcome.Fetched<T>> fresh);

	/** The accounts in Plaid's answer, which {@link PortfolioRefreshed} names. */
	protected abstract List<AccountBase> accountsIn(T data);

	private static List<String> investmentAccountIds(List<AccountBase> accounts) {
		return accounts.stream()
			.filter((account) -> account.getType() == AccountType.INVESTMENT)
			.map(AccountBase::getAccountId)
			.sorted()
			.toList();
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.stepExecution = stepExecution;
		ExecutionContext context = stepExecution.getExecutionContext();
		long resumeAfter = context.getLong(LAST_ITEM_ID, 0L);
		context.putLong(TOTAL, this.settlement.countRemaining(this.syncedAtColumn, this.scope, resumeAfter));
		context.putLong(FAILED, 0L);
		context.putLong(DROPPED_STALE, 0L);
		context.putLong(SYSTEMIC_SIGNALS, 0L);
		this.progressLog.started(stepExecution);
	}

	@Override
	public org.springframework.batch.core.ExitStatus afterStep(StepExecution stepExecution) {
		this.progressLog.finished(stepExecution);
		return stepExecution.getExitStatus();
	}

	@Override
	public void write(Chunk<? extends FetchOutcome<T>> chunk) {
		List<FetchOutcome.Fetched<T>> fetched = new ArrayList<>();
		List<FetchOutcome.Failed<T>> failed = new ArrayList<>();
		List<String> itemIds = new ArrayList<>();
		long lastItemId = 0;
		for (FetchOutcome<T> outcome : chunk) {
			itemIds.add(outcome.item().itemId());
			lastItemId = Math.max(lastItemId, outcome.item().id());
			if (outcome instanceof FetchOutcome.Fetched<T> data) {
				fetched.add(data);
			}
			else {
				failed.add((FetchOutcome.Failed<T>) outcome);
			}
		}
		fetched.sort(Comparator.comparing((FetchOutcome.Fetched<T> outcome) -> outcome.item().itemId()));
		List<FetchOutcome.Fetched<T>> fresh = this.settlement.lockAndKeepFresh(itemIds, fetched, this.syncedAtColumn);
		if (fresh.size() < fetched.size()) {
			log.info("Dropped {} snapshot(s) older than what a newer sync already stored",
					fetched.size() - fresh.size());
		}
		long executionId = this.stepExecution.getJobExecutionId();
		String jobName = jobName();
		writeFresh(fresh);
		this.settlement.synced(jobName, fresh.stream().map((outcome) -> outcome.item().itemId()).toList());
		boolean sweep = this.scope.scope().kind() == SyncScope.Kind.ALL;
		failed.stream()
			.sorted(Comparator.comparing((FetchOutcome.Failed<T> failure) -> failure.item().itemId()))
			.forEach((failure) -> {
				try (LogContext.Scope ids = failure.item().logContext()) {
					this.settlement.failed(executionId, jobName, failure, sweep);
				}
			});
		this.settlement.portfoliosRefreshed(SyncedProduct.ofSyncedAtColumn(this.syncedAtColumn),
				fresh.stream()
					.filter((outcome) -> outcome.item().userId() != null)
					.map((outcome) -> new PortfolioRefreshed.RefreshedItem(outcome.item().itemId(),
							investmentAccountIds(accountsIn(outcome.data())), outcome.fetchedAt()))
					.toList(),
				fresh.stream()
					.filter((outcome) -> outcome.item().userId() != null)
					.collect(Collectors.toMap((outcome) -> outcome.item().itemId(),
							(outcome) -> outcome.item().userId(), (first, second) -> first)));
		ChunkCounts counts = new ChunkCounts(lastItemId, fetched.size() - fresh.size(), failed.size(),
				failed.stream().filter(FetchOutcome.Failed::countsAsSystemicSignal).count());
		failIfSystemic(counts, chunk.size(), failed);
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					count(counts);
				}
			});
		}
		else {
			count(counts);
		}
	}

	/** Counters move only with a chunk that committed, never for one that rolled back. */
	private void count(ChunkCounts counts) {
		ExecutionContext context = this.stepExecution.getExecutionContext();
		context.putLong(LAST_ITEM_ID, Math.max(context.getLong(LAST_ITEM_ID, 0L), counts.lastItemId()));
		context.putLong(DROPPED_STALE, context.getLong(DROPPED_STALE, 0L) + counts.droppedStale());
		context.putLong(FAILED, context.getLong(FAILED, 0L) + counts.failed());
		context.putLong(SYSTEMIC_SIGNALS, context.getLong(SYSTEMIC_SIGNALS, 0L) + counts.systemicSignals());
	}

	/**
	 * An item the database refused even alone: its transaction is rolled back (and may
	 * still hold the item's row lock), so it is recorded once that is done. It counts as
	 * failed, and towards failing the run: when many items cannot be stored, the fault is
	 * ours.
	 */
	@Override
	public void onSkipInWrite(FetchOutcome<T> outcome, Throwable failure) {
		long executionId = this.stepExecution.getJobExecutionId();
		String jobName = this.stepExecution.getJobExecution().getJobInstance().getJobName();
		try (LogContext.Scope ids = outcome.item().logContext()) {
			log.warn("{} #{}: item {} could not be stored and was skipped: {}", jobName, executionId,
					outcome.item().itemId(), ItemFailures.databaseError(failure));
		}
		Runnable record = () -> {
			try (LogContext.Scope ids = outcome.item().logContext()) {
				this.settlement.unstorable(executionId, jobName, outcome.item(), failure);
			}
			count(new ChunkCounts(0, 0, 1, 1));
		};
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCompletion(int status) {
					record.run();
				}
			});
		}
		else {
			record.run();
		}
	}

	private void failIfSystemic(ChunkCounts counts, int chunkSize, List<FetchOutcome.Failed<T>> failedInChunk) {
		long signals = this.stepExecution.getExecutionContext().getLong(SYSTEMIC_SIGNALS, 0L)
				+ counts.systemicSignals();
		long processed = this.stepExecution.getWriteCount() + this.stepExecution.getWriteSkipCount() + chunkSize;
		if (signals >= this.properties.failureMinimum() && signals > this.properties.failureShare() * processed) {
			throw new TooManyItemsFailedException(signals, processed, this.properties.failureShare(),
					failedInChunk.isEmpty() ? null : failedInChunk.get(failedInChunk.size() - 1).errorCode());
		}
	}

	private record ChunkCounts(long lastItemId, long droppedStale, long failed, long systemicSignals) {
	}

	protected final String jobName() {
		return this.stepExecution.getJobExecution().getJobInstance().getJobName();
	}

	/**
	 * More items failed than their own faults explain: Plaid, the network or our setup is
	 * failing for everyone.
	 */
	static class TooManyItemsFailedException extends RuntimeException {

		TooManyItemsFailedException(long failed, long processed, double share, String lastCode) {
			super(failed + " of " + processed + " items failed (more than " + Math.round(share * 100) + "%; last error "
					+ lastCode + "): failing the run so that it can be restarted once the cause is fixed");
		}

	}

}
