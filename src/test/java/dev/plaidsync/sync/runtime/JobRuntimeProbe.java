package dev.plaidsync.sync.runtime;

import dev.plaidsync.sync.JobExecutionStatements;

import org.springframework.context.ApplicationContext;

/**
 * For tests outside this package: runs one of the job runtime's periodic tasks now, in
 * the test's thread; and the runtime's hot statements, the very text production runs
 * (with its named parameters), for tests that EXPLAIN them.
 */
public final class JobRuntimeProbe {

	/**
	 * {@link StrandedExecutions}: executions recorded as running on node {@code :node}.
	 */
	public static final String STARTED_HERE = StrandedExecutions.STARTED_HERE;

	/**
	 * {@link OrphanRecovery}: running executions whose node is gone for {@code :after}
	 * seconds.
	 */
	public static final String ORPHANS = OrphanRecovery.ORPHANS;

	/** {@link OrphanRecovery}: executions to resume. */
	public static final String RESUMABLE = OrphanRecovery.RESUMABLE;

	/** {@link SyncLauncher}'s reconcile: frees the scopes whose run has ended. */
	public static final String FREE_ENDED_RUNS = CoalescingSyncLauncher.FREE_ENDED_RUNS;

	/**
	 * {@link SyncRunEndings}: requests whose run ended unheard, older than {@code :after}
	 * seconds.
	 */
	public static final String ABANDONED_REQUESTS = SyncRunEndings.ABANDONED_REQUESTS;

	/**
	 * {@link JobExecutions#find}: one page of executions
	 * ({@code :job :status :from :to :limit :offset}).
	 */
	public static final String FIND_EXECUTIONS = JobExecutionStatements.FIND;

	/**
	 * {@link JobExecutions#count}: executions matching the filters
	 * ({@code :job :status :from :to :cap}).
	 */
	public static final String COUNT_EXECUTIONS = JobExecutionStatements.COUNT;

	/**
	 * {@link JobExecutions#lastPerJob}: the newest execution of each job in
	 * {@code :jobs}.
	 */
	public static final String LAST_PER_JOB = JobExecutionStatements.LAST_PER_JOB;

	/** {@link JobExecutions#lastScheduledCompletions}. */
	public static final String LAST_SCHEDULED_COMPLETIONS = JobExecutionStatements.LAST_SCHEDULED_COMPLETIONS;

	/** {@link JobExecutions#unresolvedFailures}, the alert's gauge. */
	public static final String UNRESOLVED_FAILURES = JobExecutionStatements.UNRESOLVED_FAILURES;

	/** {@link JobExecutions#itemsSyncedPerHour}, the operator's chart. */
	public static final String ITEMS_SYNCED_PER_HOUR = JobExecutionStatements.ITEMS_SYNCED_PER_HOUR;

	private JobRuntimeProbe() {
	}

	/**
	 * One pass of orphan recovery's resume step (what it does every interval when
	 * auto-resume is on).
	 */
	public static void resumeOrphans(ApplicationContext engine) {
		engine.getBean(OrphanRecovery.class).resume();
	}

}
