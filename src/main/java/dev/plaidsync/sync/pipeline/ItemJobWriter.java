package dev.plaidsync.sync.pipeline;

import java.util.function.Consumer;
import java.util.function.LongUnaryOperator;

import dev.plaidsync.common.LogContext;
import dev.plaidsync.sync.SyncProgress;
import dev.plaidsync.sync.runtime.ItemFailureLog;
import dev.plaidsync.sync.runtime.SyncProgressLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The writer of the runtime's item jobs that are not syncs (the webhook URL update, the
 * token re-encryption), behind a {@link FetchAheadReader} in a {@link SyncSteps} step:
 * hands each item done to the job's {@code store} in the chunk's transaction, records
 * each failed item in the {@link ItemFailureLog}, and keeps the progress counters of
 * {@link SyncProgress} (total in scope, failed), so that operators see done of total,
 * failures, rate and ETA as for the syncs. An item whose write the database refuses alone
 * is skipped (chunk scanning) and recorded as failed.
 */
public class ItemJobWriter<T>
		implements ItemWriter<FetchOutcome<T>>, StepExecutionListener, SkipListener<FetchOutcome<T>, FetchOutcome<T>> {

	private static final Logger log = LoggerFactory.getLogger(ItemJobWriter.class);

	private final ItemFailureLog failures;

	private final SyncProgressLog progressLog;

	private final LongUnaryOperator remainingAfter;

	private final Consumer<FetchOutcome.Fetched<T>> store;

	private StepExecution stepExecution;

	/**
	 * @param remainingAfter how many items in the job's scope come after a key: the
	 * step's total, counted from where it resumes
	 * @param store writes one item's result, in the chunk's transaction
	 */
	public ItemJobWriter(ItemFailureLog failures, SyncProgressLog progressLog, LongUnaryOperator remainingAfter,
			Consumer<FetchOutcome.Fetched<T>> store) {
		this.failures = failures;
		this.progressLog = progressLog;
		this.remainingAfter = remainingAfter;
		this.store = store;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.stepExecution = stepExecution;
		ExecutionContext context = stepExecution.getExecutionContext();
		context.putLong(SyncProgress.TOTAL,
				this.remainingAfter.applyAsLong(context.getLong(FetchAheadReader.RESUME_AFTER, 0L)));
		context.putLong(SyncProgress.FAILED, 0L);
		this.progressLog.started(stepExecution);
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		this.progressLog.finished(stepExecution);
		return stepExecution.getExitStatus();
	}

	@Override
	public void write(Chunk<? extends FetchOutcome<T>> chunk) {
		long failed = 0;
		for (FetchOutcome<T> outcome : chunk) {
			try (LogContext.Scope ids = outcome.item().logContext()) {
				if (outcome instanceof FetchOutcome.Fetched<T> done) {
					this.store.accept(done);
				}
				else {
					FetchOutcome.Failed<T> failure = (FetchOutcome.Failed<T>) outcome;
					this.failures.record(this.stepExecution.getJobExecutionId(), jobName(), failure.item().itemId(),
							failure.kind().name(), failure.errorCode(), failure.message());
					failed++;
				}
			}
		}
		if (failed > 0) {
			long inChunk = failed;
			afterTransaction(true, () -> countFailed(inChunk));
		}
	}

	@Override
	public void onSkipInWrite(FetchOutcome<T> outcome, Throwable failure) {
		String reason = ItemFailures.databaseError(failure);
		try (LogContext.Scope ids = outcome.item().logContext()) {
			recordUnstorable(outcome, reason);
		}
		// the skipped item's own transaction rolls back: it counts once that is done
		afterTransaction(false, () -> countFailed(1));
	}

	private void recordUnstorable(FetchOutcome<T> outcome, String reason) {
		log.warn("{} #{}: item {} could not be stored and was skipped: {}", jobName(),
				this.stepExecution.getJobExecutionId(), outcome.item().itemId(), reason);
		this.failures.record(this.stepExecution.getJobExecutionId(), jobName(), outcome.item().itemId(), "UNSTORABLE",
				ItemFailures.UNSTORABLE, reason);
	}

	private void countFailed(long failed) {
		ExecutionContext context = this.stepExecution.getExecutionContext();
		context.putLong(SyncProgress.FAILED, context.getLong(SyncProgress.FAILED, 0L) + failed);
	}

	/**
	 * Runs after the current transaction: only if it commits ({@code onlyOnCommit}, so
	 * that a counter moves only with a chunk that committed), or however it ends.
	 */
	private static void afterTransaction(boolean onlyOnCommit, Runnable action) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			action.run();
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				if (onlyOnCommit) {
					action.run();
				}
			}

			@Override
			public void afterCompletion(int status) {
				if (!onlyOnCommit) {
					action.run();
				}
			}
		});
	}

	private String jobName() {
		return this.stepExecution.getJobExecution().getJobInstance().getJobName();
	}

}
