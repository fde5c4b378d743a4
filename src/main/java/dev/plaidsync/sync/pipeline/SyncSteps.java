package dev.plaidsync.sync.pipeline;

import dev.plaidsync.sync.runtime.SyncProperties;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The chunk step every sync job runs: Plaid snapshots come from the
 * {@link FetchAheadReader}, fetched ahead outside any transaction, so a chunk's
 * transaction holds only its write and the step's state. The step is fault tolerant: when
 * the database refuses a chunk, Batch rolls it back and writes the items one by one, each
 * in its own transaction (chunk scanning); the item that is refused alone is skipped
 * ({@link UnstorableItemSkipPolicy}) and recorded by the writer, and the rest of the
 * chunk and the run commit.
 */
@Component
public class SyncSteps {

	private final JobRepository jobRepository;

	private final PlatformTransactionManager transactionManager;

	private final SyncProperties properties;

	SyncSteps(JobRepository jobRepository, PlatformTransactionManager transactionManager, SyncProperties properties) {
		this.jobRepository = jobRepository;
		this.transactionManager = transactionManager;
		this.properties = properties;
	}

	/**
	 * A step of the runtime: {@code writer} is a {@link SyncWriter} for the syncs, an
	 * {@link ItemJobWriter} for the other item jobs.
	 */
	public <T> Step step(String name, FetchAheadReader<T> reader, ItemWriter<FetchOutcome<T>> writer) {
		return new StepBuilder(name, this.jobRepository)
			.<FetchOutcome<T>, FetchOutcome<T>>chunk(this.properties.chunkSize())
			.transactionManager(this.transactionManager)
			.reader(reader)
			// Batch registers the writer as step and skip listener, and the reader as
			// write listener, by their types.
			.writer(writer)
			.interruptionPolicy(reader)
			.faultTolerant()
			.skipPolicy(new UnstorableItemSkipPolicy())
			.build();
	}

}
