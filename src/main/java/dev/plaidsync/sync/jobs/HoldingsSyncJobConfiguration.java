package dev.plaidsync.sync.jobs;

import com.plaid.client.model.InvestmentsHoldingsGetResponse;
import dev.plaidsync.items.AccountSyncRecords;
import dev.plaidsync.items.ItemCredentials;
import dev.plaidsync.items.ItemSyncMarkers;
import dev.plaidsync.plaid.PlaidGateway;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.pipeline.ChunkSettlement;
import dev.plaidsync.sync.pipeline.FetchAheadReader;
import dev.plaidsync.sync.pipeline.InvestmentAccountUpserts;
import dev.plaidsync.sync.pipeline.PlaidFetch;
import dev.plaidsync.sync.pipeline.RunParameters;
import dev.plaidsync.sync.pipeline.SecurityUpserts;
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
 * {@code holdingsSyncJob}: /investments/holdings/get per item, which also brings every
 * account's balances.
 */
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
	Step holdingsSyncStep(SyncSteps steps, FetchAheadReader<InvestmentsHoldingsGetResponse> holdingsReader,
			HoldingsWriter holdingsWriter) {
		return steps.step("holdingsSyncStep", holdingsReader, holdingsWriter);
	}

	@Bean
	@StepScope
	FetchAheadReader<InvestmentsHoldingsGetResponse> holdingsReader(JdbcClient jdbc,
			PlatformTransactionManager transactionManager, ItemCredentials credentials, PlaidGateway plaid,
			AsyncTaskExecutor plaidFetchExecutor, SyncProperties properties,
			@Value("#{stepExecution}") StepExecution stepExecution) {
		RunParameters run = RunParameters.of(stepExecution);
		return SyncItemReaders.reader(jdbc, transactionManager, HoldingsWriter.SYNCED_AT, run.scope(),
				new PlaidFetch<>(credentials, (item, access) -> plaid.holdings(access, run.priority())),
				plaidFetchExecutor, properties);
	}

	@Bean
	@StepScope
	HoldingsWriter holdingsWriter(ChunkSettlement settlement, SyncProperties properties, SyncProgressLog progressLog,
			SecurityUpserts securities, InvestmentAccountUpserts accounts, HoldingsTable holdings,
			ItemSyncMarkers itemMarkers, AccountSyncRecords accountRecords, HoldingsHistory holdingsHistory,
			@Value("#{stepExecution}") StepExecution stepExecution) {
		return new HoldingsWriter(settlement, properties, RunParameters.of(stepExecution).scope(), progressLog,
				securities, accounts, holdings, itemMarkers, accountRecords, holdingsHistory);
	}

}
