package dev.plaidsync.items;

import java.util.Map;

import javax.sql.DataSource;

import dev.plaidsync.common.ExecutionOwnership;
import dev.plaidsync.common.KeyResumingPagingItemReader;
import dev.plaidsync.plaid.CallPriority;
import dev.plaidsync.plaid.PlaidFailure;
import dev.plaidsync.plaid.PlaidGateway;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.support.PostgresPagingQueryProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code webhookUrlUpdateJob}: when {@code PLAID_WEBHOOK_URL} changes, calls /item/webhook/update for every active
 * item, paced by the shared Plaid budget, restartable, with progress. Plaid confirms each change with
 * ITEM/WEBHOOK_UPDATE_ACKNOWLEDGED at the new URL.
 */
@Configuration(proxyBeanMethods = false)
class WebhookUrlUpdateJobConfiguration {

	static final String JOB_NAME = WebhookUrls.UPDATE_JOB_NAME;

	private static final int CHUNK_SIZE = 50;

	@Bean
	Job webhookUrlUpdateJob(JobRepository jobRepository, Step webhookUrlUpdateStep, ExecutionOwnership executionOwnership) {
		return new JobBuilder(JOB_NAME, jobRepository).start(webhookUrlUpdateStep).listener(executionOwnership).build();
	}

	@Bean
	Step webhookUrlUpdateStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcPagingItemReader<ActiveItem> webhookUrlItemReader, ItemProcessor<ActiveItem, Outcome> webhookUrlUpdater,
			ItemWriter<Outcome> webhookUrlWriter, AsyncTaskExecutor plaidFetchExecutor, JdbcClient jdbc) {
		return new StepBuilder("webhookUrlUpdateStep", jobRepository).<ActiveItem, Outcome>chunk(CHUNK_SIZE)
			.transactionManager(transactionManager)
			.reader(webhookUrlItemReader)
			.processor(webhookUrlUpdater)
			.writer(webhookUrlWriter)
			.listener(new ProgressTotal(jdbc))
			.taskExecutor(plaidFetchExecutor)
			.build();
	}

	@Bean
	@StepScope
	JdbcPagingItemReader<ActiveItem> webhookUrlItemReader(DataSource dataSource) throws Exception {
		PostgresPagingQueryProvider query = new PostgresPagingQueryProvider();
		query.setSelectClause("SELECT id, item_id, institution_id, access_token_key_id, access_token_ciphertext");
		query.setFromClause("FROM plaid_items");
		query.setWhereClause("status = 'ACTIVE'");
		query.setSortKeys(Map.of("id", Order.ASCENDING));
		KeyResumingPagingItemReader<ActiveItem> reader = new KeyResumingPagingItemReader<>(dataSource, query);
		reader.setName("webhookUrlItemReader");
		reader.setPageSize(CHUNK_SIZE);
		reader.setRowMapper((row, number) -> new ActiveItem(row.getString("item_id"), row.getString("institution_id"),
				row.getString("access_token_key_id"), row.getBytes("access_token_ciphertext")));
		reader.afterPropertiesSet();
		return reader;
	}

	@Bean
	@StepScope
	ItemProcessor<ActiveItem, Outcome> webhookUrlUpdater(ItemCredentials credentials, PlaidGateway plaid,
			@Value("#{jobParameters['url']}") String url) {
		return (item) -> {
			try {
				plaid.updateWebhook(credentials.access(item.itemId(), item.institutionId(), item.keyId(), item.ciphertext()),
						url, CallPriority.SWEEP);
				return new Outcome(item.itemId(), url, null, null);
			}
			catch (PlaidFailure failure) {
				if (failure.kind() == PlaidFailure.Kind.SYSTEMIC) {
					throw failure;
				}
				return new Outcome(item.itemId(), url, failure.errorCode(), failure.getMessage());
			}
			catch (AccessTokenUnreadable unreadable) {
				return new Outcome(item.itemId(), url, "ACCESS_TOKEN_UNREADABLE", unreadable.getMessage());
			}
		};
	}

	@Bean
	@StepScope
	ItemWriter<Outcome> webhookUrlWriter(JdbcClient jdbc, @Value("#{stepExecution}") StepExecution stepExecution) {
		return (chunk) -> {
			for (Outcome outcome : chunk) {
				if (outcome.errorCode() == null) {
					jdbc.sql("UPDATE plaid_items SET webhook_url = :url, updated_at = now() WHERE item_id = :item")
						.param("url", outcome.url()).param("item", outcome.itemId()).update();
				}
				else {
					jdbc.sql("""
							INSERT INTO sync_item_failures (job_execution_id, job_name, item_id, failure_kind, error_code, message)
							VALUES (:execution, :job, :item, 'ITEM_FAILED', :code, :message)
							""").param("execution", stepExecution.getJobExecutionId()).param("job", JOB_NAME)
						.param("item", outcome.itemId()).param("code", outcome.errorCode()).param("message", outcome.message())
						.update();
					stepExecution.getExecutionContext().putLong("sync.failed",
							stepExecution.getExecutionContext().getLong("sync.failed", 0L) + 1);
				}
			}
		};
	}

	record ActiveItem(String itemId, String institutionId, String keyId, byte[] ciphertext) {
	}

	record Outcome(String itemId, String url, String errorCode, String message) {
	}

	/** The items left to update, so the run shows done of total, rate and ETA like the syncs. */
	private record ProgressTotal(JdbcClient jdbc) implements StepExecutionListener {

		@Override
		public void beforeStep(StepExecution stepExecution) {
			stepExecution.getExecutionContext().putLong("sync.total",
					this.jdbc.sql("SELECT count(*) FROM plaid_items WHERE status = 'ACTIVE'").query(Long.class).single()
							- stepExecution.getReadCount());
		}

		@Override
		public ExitStatus afterStep(StepExecution stepExecution) {
			return stepExecution.getExitStatus();
		}

	}

}
