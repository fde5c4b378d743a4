package dev.plaidsync.sync;

import javax.sql.DataSource;

import com.plaid.client.model.InvestmentsHoldingsGetResponse;
import dev.plaidsync.common.ExecutionOwnership;
import dev.plaidsync.items.ItemCredentials;
import dev.plaidsync.plaid.PlaidGateway;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/** {@code holdingsSyncJob}: /investments/holdings/get per item, which also brings every account's balances. */
@Configuration(proxyBeanMethods = false)
class HoldingsSyncJobConfiguration {

	@Bean
	Job holdingsSyncJob(JobRepository jobRepository, Step holdingsSyncStep, SyncRunListener syncRunListener,
			ExecutionOwnership executionOwnership) {
		return new JobBuilder(SyncJob.HOLDINGS.jobName(), jobRepository).start(holdingsSyncStep)
			.listener(executionOwnership)
			.listener(syncRunListener)
			.build();
	}

	@Bean
	Step holdingsSyncStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcPagingItemReader<SyncItem> holdingsReader, PlaidFetchProcessor<InvestmentsHoldingsGetResponse> holdingsFetcher,
			HoldingsWriter holdingsWriter, AsyncTaskExecutor plaidFetchExecutor, SyncProperties properties) {
		return new StepBuilder("holdingsSyncStep", jobRepository)
			.<SyncItem, FetchOutcome<InvestmentsHoldingsGetResponse>>chunk(properties.chunkSize())
			.transactionManager(transactionManager)
			.reader(holdingsReader)
			.processor(holdingsFetcher)
			.writer(holdingsWriter)
			.listener(holdingsWriter)
			.taskExecutor(plaidFetchExecutor)
			.build();
	}

	@Bean
	@StepScope
	JdbcPagingItemReader<SyncItem> holdingsReader(DataSource dataSource, SyncProperties properties,
			@Value("#{stepExecution}") StepExecution stepExecution) throws Exception {
		return SyncItemReaders.reader("holdingsReader", dataSource, HoldingsWriter.SYNCED_AT,
				RunParameters.of(stepExecution).scope(), properties.chunkSize());
	}

	@Bean
	@StepScope
	PlaidFetchProcessor<InvestmentsHoldingsGetResponse> holdingsFetcher(ItemCredentials credentials, PlaidGateway plaid,
			@Value("#{stepExecution}") StepExecution stepExecution) {
		RunParameters run = RunParameters.of(stepExecution);
		return new PlaidFetchProcessor<>(credentials, (item, access) -> plaid.holdings(access, run.priority()));
	}

	@Bean
	@StepScope
	HoldingsWriter holdingsWriter(SyncStore store, SyncProperties properties, SyncProgressLog progressLog,
			@Value("#{stepExecution}") StepExecution stepExecution, HoldingsHistory holdingsHistory) {
		return new HoldingsWriter(store, properties, RunParameters.of(stepExecution).scope(), progressLog, holdingsHistory);
	}

}
