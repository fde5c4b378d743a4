package dev.plaidsync.sync.jobs;

import dev.plaidsync.items.ItemCredentials;
import dev.plaidsync.items.WebhookUrls;
import dev.plaidsync.sync.MaintenanceJobs;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.sync.pipeline.FetchAheadReader;
import dev.plaidsync.sync.pipeline.ItemJobWriter;
import dev.plaidsync.sync.pipeline.PlaidFetch;
import dev.plaidsync.sync.pipeline.SyncItemReaders;
import dev.plaidsync.sync.pipeline.SyncSteps;
import dev.plaidsync.sync.runtime.ExecutionOwnership;
import dev.plaidsync.sync.runtime.ItemFailureLog;
import dev.plaidsync.sync.runtime.SyncProgressLog;
import dev.plaidsync.sync.runtime.SyncProperties;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code webhookUrlUpdateJob}: when {@code PLAID_WEBHOOK_URL} changes, points every
 * active item at the new URL (its {@code url} parameter) through {@link WebhookUrls},
 * paced by the shared Plaid budget: the sweeps' reader (active items by key, Plaid calls
 * fetched ahead on the fetch pool, outside any transaction), the new URL stored in the
 * chunk's transaction, failed items in the runtime's failure log, progress like the
 * syncs'. Plaid confirms each change with ITEM/WEBHOOK_UPDATE_ACKNOWLEDGED at the new
 * URL.
 */
@Configuration(proxyBeanMethods = false)
class WebhookUrlUpdateJobConfiguration {

	/**
	 * The items a sweep reads (every ACTIVE item); no freshness column is judged, so any
	 * product's will do.
	 */
	private static final SyncItemReaders.RunScope ACTIVE_ITEMS = new SyncItemReaders.RunScope(SyncScope.all(), null,
			null);

	private static final String SYNCED_AT = HoldingsWriter.SYNCED_AT;

	@Bean
	Job webhookUrlUpdateJob(JobRepository jobRepository, Step webhookUrlUpdateStep,
			ExecutionOwnership executionOwnership) {
		return new JobBuilder(MaintenanceJobs.WEBHOOK_URL_UPDATE, jobRepository).start(webhookUrlUpdateStep)
			.listener(executionOwnership)
			.build();
	}

	@Bean
	Step webhookUrlUpdateStep(SyncSteps steps, FetchAheadReader<String> webhookUrlItemReader,
			ItemJobWriter<String> webhookUrlWriter) {
		return steps.step("webhookUrlUpdateStep", webhookUrlItemReader, webhookUrlWriter);
	}

	@Bean
	@StepScope
	FetchAheadReader<String> webhookUrlItemReader(JdbcClient jdbc, PlatformTransactionManager transactionManager,
			ItemCredentials credentials, WebhookUrls webhookUrls, AsyncTaskExecutor plaidFetchExecutor,
			SyncProperties properties, @Value("#{jobParameters['url']}") String url) {
		return SyncItemReaders.reader(jdbc, transactionManager, SYNCED_AT, ACTIVE_ITEMS,
				new PlaidFetch<>(credentials, (item, access) -> {
					webhookUrls.pointAt(access, url);
					return url;
				}), plaidFetchExecutor, properties);
	}

	@Bean
	@StepScope
	ItemJobWriter<String> webhookUrlWriter(JdbcClient jdbc, ItemFailureLog failureLog, SyncProgressLog progressLog,
			WebhookUrls webhookUrls) {
		return new ItemJobWriter<>(failureLog, progressLog,
				(afterId) -> SyncItemReaders.countRemaining(jdbc, SYNCED_AT, ACTIVE_ITEMS, afterId),
				(done) -> webhookUrls.stored(done.item().itemId(), done.data()));
	}

}
