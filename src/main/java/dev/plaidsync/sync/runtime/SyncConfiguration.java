package dev.plaidsync.sync.runtime;

import javax.sql.DataSource;

import dev.plaidsync.sync.pipeline.FetchAheadReader;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;

import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableSchedulerLock(defaultLockAtMostFor = "${plaidsync.sync.schedules.lock-at-most-for:PT6H}")
class SyncConfiguration {

	/**
	 * The executors stop last on shutdown: after the web server stopped taking requests
	 * and running executions were asked to stop at their chunk boundary. At the default
	 * phase they would stop first and, waiting for their tasks, let every running job
	 * finish instead.
	 */
	static final int EXECUTORS_SHUTDOWN_PHASE = SmartLifecycle.DEFAULT_PHASE - 8192;

	/**
	 * Runs job executions, so that launches return at once. Its tasks tell
	 * {@link ExecutionOwnership} when they end, so that an execution whose thread ended
	 * unrecorded is known to be stranded.
	 */
	@Bean
	@BatchTaskExecutor
	ThreadPoolTaskExecutor batchTaskExecutor(SyncProperties properties, ExecutionOwnership executionOwnership) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setTaskDecorator(executionOwnership::decorateJobTask);
		executor.setCorePoolSize(properties.concurrentJobs());
		executor.setMaxPoolSize(properties.concurrentJobs());
		executor.setThreadNamePrefix("sync-job-");
		executor.setWaitForTasksToCompleteOnShutdown(true);
		executor.setAwaitTerminationSeconds(60);
		executor.setPhase(EXECUTORS_SHUTDOWN_PHASE);
		return executor;
	}

	/**
	 * Runs the Plaid fetches of every running sync step's pipeline
	 * ({@link FetchAheadReader}), outside any transaction: its threads are the Plaid
	 * calls this node has in flight. Also runs the webhook URL update's fetches.
	 */
	@Bean
	ThreadPoolTaskExecutor plaidFetchExecutor(SyncProperties properties) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(properties.fetchConcurrency());
		executor.setMaxPoolSize(properties.fetchConcurrency());
		executor.setThreadNamePrefix("plaid-fetch-");
		executor.setAcceptTasksAfterContextClose(true);
		executor.setPhase(EXECUTORS_SHUTDOWN_PHASE);
		return executor;
	}

	/**
	 * Registers every job once all singletons exist, so that restart, stop and abandon
	 * find jobs by name. Batch's default registry is filled when the JobOperator is
	 * created, which can be before the jobs are.
	 */
	@Bean
	MapJobRegistry jobRegistry() {
		return new MapJobRegistry();
	}

	@Bean
	LockProvider lockProvider(DataSource dataSource) {
		return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
			.withJdbcTemplate(new JdbcTemplate(dataSource))
			.usingDbTime()
			.build());
	}

}
