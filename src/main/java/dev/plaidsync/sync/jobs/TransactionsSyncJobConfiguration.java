package dev.plaidsync.sync.jobs;

import java.time.LocalDate;
import java.time.ZoneOffset;

import dev.plaidsync.items.AccountSyncRecords;
import dev.plaidsync.items.ItemCredentials;
import dev.plaidsync.items.ItemSyncMarkers;
import dev.plaidsync.plaid.PlaidGateway;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.pipeline.ChunkSettlement;
import dev.plaidsync.sync.pipeline.FetchAheadReader;
import dev.plaidsync.sync.pipeline.InvestmentAccountUpserts;
import dev.plaidsync.sync.pipeline.ItemRetryList;
import dev.plaidsync.sync.pipeline.PlaidFetch;
import dev.plaidsync.sync.pipeline.RunParameters;
import dev.plaidsync.sync.pipeline.SecurityUpserts;
import dev.plaidsync.sync.pipeline.SyncItemReaders;
import dev.plaidsync.sync.pipeline.SyncSteps;
import dev.plaidsync.sync.runtime.ExecutionOwnership;
import dev.plaidsync.sync.runtime.SyncProgressLog;
import dev.plaidsync.sync.runtime.SyncProperties;
import dev.plaidsync.sync.runtime.SyncRecoveryProperties;
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
 * {@code transactionsSyncJob}: every page of /investments/transactions/get for each
 * item's window. The window is the routine one (90 days) unless the run asks for the full
 * one (24 months) or the item was never fully synced.
 */
@Configuration(proxyBeanMethods = false)
class TransactionsSyncJobConfiguration {

	@Bean
	Job transactionsSyncJob(JobRepository jobRepository, Step transactionsSyncStep, SyncRunListener syncRunListener,
			ExecutionOwnership executionOwnership) {
		return new JobBuilder(SyncJob.TRANSACTIONS.jobName(), jobRepository).start(transactionsSyncStep)
			.listener(executionOwnership)
			.listener(syncRunListener)
			.build();
	}

	@Bean
	Step transactionsSyncStep(SyncSteps steps, FetchAheadReader<TransactionsWriter.Fetch> transactionsReader,
			TransactionsWriter transactionsWriter) {
		return steps.step("transactionsSyncStep", transactionsReader, transactionsWriter);
	}

	@Bean
	@StepScope
	FetchAheadReader<TransactionsWriter.Fetch> transactionsReader(JdbcClient jdbc,
			PlatformTransactionManager transactionManager, ItemCredentials credentials, PlaidGateway plaid,
			AsyncTaskExecutor plaidFetchExecutor, SyncProperties properties,
			@Value("#{stepExecution}") StepExecution stepExecution) {
		RunParameters run = RunParameters.of(stepExecution);
		return SyncItemReaders.reader(jdbc, transactionManager, TransactionsWriter.SYNCED_AT, run.scope(),
				new PlaidFetch<>(credentials, (item, access) -> {
					boolean full = run.window() == SyncOptions.TransactionsWindow.FULL
							|| item.fullTransactionsSyncedAt() == null;
					LocalDate end = LocalDate.now(ZoneOffset.UTC);
					LocalDate start = full ? end.minusMonths(properties.fullWindowMonths())
							: end.minusDays(properties.routineWindow().toDays());
					return new TransactionsWriter.Fetch(plaid.transactions(access, start, end, run.priority()), full);
				}), plaidFetchExecutor, properties);
	}

	@Bean
	@StepScope
	TransactionsWriter transactionsWriter(ChunkSettlement settlement, SyncProperties properties,
			SyncProgressLog progressLog, SecurityUpserts securities, InvestmentAccountUpserts accounts,
			TransactionsTable transactions, ItemSyncMarkers itemMarkers, AccountSyncRecords accountRecords,
			ItemRetryList retries, SyncRecoveryProperties recovery,
			@Value("#{stepExecution}") StepExecution stepExecution) {
		return new TransactionsWriter(settlement, properties, RunParameters.of(stepExecution).scope(), progressLog,
				securities, accounts, transactions, itemMarkers, accountRecords, retries, recovery);
	}

}
