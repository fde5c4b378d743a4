package dev.plaidsync.sync;

import javax.sql.DataSource;

import com.plaid.client.model.AccountsGetResponse;
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

/**
 * {@code balancesSyncJob}: Plaid's cached balances from /accounts/get (not billed per call), or real-time ones from
 * /accounts/balance/get when {@code plaidsync.sync.real-time-balances} is set (slow, and billed per call).
 */
@Configuration(proxyBeanMethods = false)
class BalancesSyncJobConfiguration {

	@Bean
	Job balancesSyncJob(JobRepository jobRepository, Step balancesSyncStep, SyncRunListener syncRunListener,
			ExecutionOwnership executionOwnership) {
		return new JobBuilder(SyncJob.BALANCES.jobName(), jobRepository).start(balancesSyncStep)
			.listener(executionOwnership)
			.listener(syncRunListener)
			.build();
	}

	@Bean
	Step balancesSyncStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			JdbcPagingItemReader<SyncItem> balancesReader, PlaidFetchProcessor<AccountsGetResponse> balancesFetcher,
			BalancesWriter balancesWriter, AsyncTaskExecutor plaidFetchExecutor, SyncProperties properties) {
		return new StepBuilder("balancesSyncStep", jobRepository)
			.<SyncItem, FetchOutcome<AccountsGetResponse>>chunk(properties.chunkSize())
			.transactionManager(transactionManager)
			.reader(balancesReader)
			.processor(balancesFetcher)
			.writer(balancesWriter)
			.listener(balancesWriter)
			.taskExecutor(plaidFetchExecutor)
			.build();
	}

	@Bean
	@StepScope
	JdbcPagingItemReader<SyncItem> balancesReader(DataSource dataSource, SyncProperties properties,
			@Value("#{stepExecution}") StepExecution stepExecution) throws Exception {
		return SyncItemReaders.reader("balancesReader", dataSource, BalancesWriter.SYNCED_AT,
				RunParameters.of(stepExecution).scope(), properties.chunkSize());
	}

	@Bean
	@StepScope
	PlaidFetchProcessor<AccountsGetResponse> balancesFetcher(ItemCredentials credentials, PlaidGateway plaid,
			SyncProperties properties, @Value("#{stepExecution}") StepExecution stepExecution) {
		RunParameters run = RunParameters.of(stepExecution);
		return new PlaidFetchProcessor<>(credentials, (item, access) -> properties.realTimeBalances()
				? plaid.realTimeBalances(access, run.priority()) : plaid.accounts(access, run.priority()));
	}

	@Bean
	@StepScope
	BalancesWriter balancesWriter(SyncStore store, SyncProperties properties, SyncProgressLog progressLog,
			@Value("#{stepExecution}") StepExecution stepExecution) {
		return new BalancesWriter(store, properties, RunParameters.of(stepExecution).scope(), progressLog);
	}

}
