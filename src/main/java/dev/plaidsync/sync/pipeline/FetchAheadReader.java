package dev.plaidsync.sync.pipeline;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import dev.plaidsync.common.LogContext;
import dev.plaidsync.plaid.PlaidFailure;
import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.listener.ItemWriteListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepInterruptionPolicy;
import org.springframework.batch.core.step.ThreadStepInterruptionPolicy;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sync step's reader: a bounded pipeline that fetches ahead of the writer, across
 * chunk boundaries, and hands out the items' Plaid snapshots in key order. No Plaid call
 * runs inside a chunk's transaction:
 * <ul>
 * <li>items are read by key, page by page, on a connection of their own outside any
 * transaction;</li>
 * <li>each is fetched on the shared fetch pool as soon as the pipeline has room (at most
 * {@code depth} snapshots, fetched or in flight, per running step);</li>
 * <li>at every chunk boundary, before Batch opens the chunk's transaction, the step waits
 * (as its interruption policy) until the next chunk's snapshots are complete, so that the
 * transaction covers only the write and the job state.</li>
 * </ul>
 * The resume point is the key of the last item the writer settled in a committed
 * transaction, saved with that transaction; snapshots fetched but not yet written are
 * fetched again after a restart.
 */
public class FetchAheadReader<T>
		implements ItemStreamReader<FetchOutcome<T>>, ItemWriteListener<FetchOutcome<T>>, StepInterruptionPolicy {

	/**
	 * The key of the last item written by a committed chunk: a restart reads the items
	 * after it.
	 */
	static final String RESUME_AFTER = "sync.resumeAfterId";

	private static final long WAIT_SLICE_MILLIS = 500;

	private final ItemPages pages;

	private final Function<SyncItem, FetchOutcome<T>> fetch;

	private final AsyncTaskExecutor executor;

	private final int depth;

	private final int chunkSize;

	private final StepInterruptionPolicy stopRequests = new ThreadStepInterruptionPolicy();

	private final Deque<Future<FetchOutcome<T>>> pipeline = new ArrayDeque<>();

	private Iterator<SyncItem> page = List.<SyncItem>of().iterator();

	private long readAfter;

	private long settled;

	private boolean exhausted;

	public FetchAheadReader(ItemPages pages, Function<SyncItem, FetchOutcome<T>> fetch, AsyncTaskExecutor executor,
			int depth, int chunkSize) {
		this.pages = pages;
		this.fetch = fetch;
		this.executor = executor;
		this.chunkSize = chunkSize;
		this.depth = Math.max(depth, chunkSize);
	}

	@Override
	public void open(ExecutionContext context) {
		// An execution from before the pipeline kept only the writer's key, which lags by
		// at most one chunk.
		this.settled = context.containsKey(RESUME_AFTER) ? context.getLong(RESUME_AFTER)
				: context.getLong(SyncWriter.LAST_ITEM_ID, 0L);
		this.readAfter = this.settled;
		this.exhausted = false;
		this.page = List.<SyncItem>of().iterator();
	}

	@Override
	public void update(ExecutionContext context) {
		context.putLong(RESUME_AFTER, this.settled);
	}

	@Override
	public void close() {
		synchronized (this.pipeline) {
			this.pipeline.forEach((future) -> future.cancel(true));
			this.pipeline.clear();
		}
	}

	@Override
	public void afterWrite(Chunk<? extends FetchOutcome<T>> items) {
		for (FetchOutcome<T> outcome : items) {
			this.settled = Math.max(this.settled, outcome.item().id());
		}
	}

	/**
	 * At each chunk boundary, outside the chunk's transaction: honours stop requests,
	 * then waits until the next chunk's snapshots are complete, still honouring a stop
	 * request that comes meanwhile.
	 */
	@Override
	public void checkInterrupted(StepExecution stepExecution) throws JobInterruptedException {
		this.stopRequests.checkInterrupted(stepExecution);
		fill();
		List<Future<FetchOutcome<T>>> nextChunk;
		synchronized (this.pipeline) {
			nextChunk = this.pipeline.stream().limit(this.chunkSize).toList();
		}
		for (Future<FetchOutcome<T>> future : nextChunk) {
			while (!future.isDone()) {
				try {
					future.get(WAIT_SLICE_MILLIS, TimeUnit.MILLISECONDS);
				}
				catch (TimeoutException slice) {
					this.stopRequests.checkInterrupted(stepExecution);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new JobInterruptedException("Interrupted while waiting for Plaid snapshots");
				}
				catch (ExecutionException | CancellationException failed) {
					// read() reports it, in order
					break;
				}
			}
		}
		// A stop requested while the snapshots were completing (the step's stream may
		// already be closing) ends here.
		this.stopRequests.checkInterrupted(stepExecution);
	}

	@Override
	public @Nullable FetchOutcome<T> read() throws Exception {
		fill();
		Future<FetchOutcome<T>> head;
		synchronized (this.pipeline) {
			head = this.pipeline.poll();
		}
		if (head == null) {
			return null;
		}
		fill();
		try {
			return head.get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof PlaidFailure systemic) {
				throw systemic;
			}
			throw new FetchFailedException(ex.getCause());
		}
		catch (CancellationException ex) {
			throw new FetchFailedException(ex);
		}
	}

	/** Starts fetches until the pipeline is full or every item in scope is in it. */
	private void fill() {
		synchronized (this.pipeline) {
			fillHoldingThePipeline();
		}
	}

	private void fillHoldingThePipeline() {
		while (this.pipeline.size() < this.depth && !this.exhausted) {
			if (!this.page.hasNext()) {
				List<SyncItem> next = this.pages.after(this.readAfter, this.depth);
				if (next.isEmpty()) {
					this.exhausted = true;
					return;
				}
				this.page = next.iterator();
			}
			SyncItem item = this.page.next();
			this.readAfter = item.id();
			LogContext.Snapshot run = LogContext.snapshot();
			this.pipeline.add(this.executor.submit(() -> {
				try (LogContext.Scope runIds = run.open(); LogContext.Scope itemIds = item.logContext()) {
					return this.fetch.apply(item);
				}
			}));
		}
	}

	/**
	 * A fetch ended in a way no item explains (its own failures become
	 * {@link FetchOutcome.Failed}).
	 */
	static class FetchFailedException extends RuntimeException {

		FetchFailedException(Throwable cause) {
			super("Fetching from Plaid failed: " + cause, cause);
		}

	}

	/**
	 * The items in a run's scope after a key, in key order, read outside any transaction.
	 */
	@FunctionalInterface
	public interface ItemPages {

		List<SyncItem> after(long id, int limit);

		/**
		 * The pages read on a connection of their own in autocommit (read-only), never in
		 * the chunk's transaction, which then stays closed until the write.
		 */
		static ItemPages outsideTransactions(PlatformTransactionManager transactionManager, ItemPages pages) {
			TransactionTemplate outside = new TransactionTemplate(transactionManager);
			outside.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
			outside.setReadOnly(true);
			return (id, limit) -> outside.execute((status) -> pages.after(id, limit));
		}

	}

}
