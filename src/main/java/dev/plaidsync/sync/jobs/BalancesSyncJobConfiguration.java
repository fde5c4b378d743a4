package dev.plaidsync.sync.jobs;

import com.plaid.client.model.AccountsGetResponse;
import dev.plaidsync.items.ItemCredentials;
import dev.plaidsync.items.ItemSyncMarkers;
import dev.plaidsync.plaid.PlaidGateway;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.pipeline.ChunkSettlement;
import dev.plaidsync.sync.pipeline.FetchAheadReader;
import dev.plaidsync.sync.pipeline.InvestmentAccountUpserts;
import dev.plaidsync.sync.pipeline.PlaidFetch;
import dev.plaidsync.sync.pipeline.RunParameters;
import dev.plaidsync.sync.pipeline.SyncItemReaders;
import dev.plaidsync.sync.pipeline.SyncSteps;
import dev.plaidsync.sync.runtime.ExecutionOwnership;
import dev.plaidsync.sync.runtime.SyncProgressLog;
import dev.plaidsync.sync.runtime.SyncProperties;
import dev.plaidsync.sync.runtime.SyncRunListener;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code balancesSyncJob}: Plaid's cached balances from /accounts/get (not billed per
 * call), or real-time ones from /accounts/balance/get when
 * {@code plaidsync.sync.real-time-balances} is set (slow, and billed per call).
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
	Step balancesSyncStep(SyncSteps steps, FetchAheadReader<AccountsGetResponse> balancesReader,
			BalancesWriter balancesWriter) {
		return steps.step("balancesSyncStep", balancesReader, balancesWriter);
	}

	@Bean
	@StepScope
	FetchAheadReader<AccountsGetResponse> balancesReader(JdbcClient jdbc, PlatformTransactionManager transactionManager,
			ItemCredentials credentials, PlaidGateway plaid, AsyncTaskExecutor plaidFetchExecutor,
			SyncProperties properties, @Value("#{stepExecution}") StepExecution stepExecution) {
		RunParameters run = RunParameters.of(stepExecution);
		return SyncItemReaders.reader(jdbc, transactionManager, BalancesWriter.SYNCED_AT, run.scope(),
				new PlaidFetch<>(credentials, (item, access) -> properties.realTimeBalances()
						? plaid.realTimeBalances(access, run.priority()) : plaid.accounts(access, run.priority())),
				plaidFetchExecutor, properties);
	}

	@Bean
	@StepScope
	BalancesWriter balancesWriter(ChunkSettlement settlement, SyncProperties properties, SyncProgressLog progressLog,
			InvestmentAccountUpserts accounts, ItemSyncMarkers itemMarkers,
			@Value("#{stepExecution}") StepExecution stepExecution) {
		return new BalancesWriter(settlement, properties, RunParameters.of(stepExecution).scope(), progressLog,
				accounts, itemMarkers);
	}

}
