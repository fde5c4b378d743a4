package dev.plaidsync.sync;

/**
 * The statements {@link JobExecutions} runs, for tests that EXPLAIN the very text
 * production runs.
 */
public final class JobExecutionStatements {

	public static final String FIND = JobExecutions.FIND;

	public static final String COUNT = JobExecutions.COUNT;

	public static final String LAST_PER_JOB = JobExecutions.LAST_PER_JOB;

	public static final String LAST_SCHEDULED_COMPLETIONS = JobExecutions.LAST_SCHEDULED_COMPLETIONS;

	public static final String UNRESOLVED_FAILURES = JobExecutions.UNRESOLVED_FAILURES;

	public static final String ITEMS_SYNCED_PER_HOUR = JobExecutions.ITEMS_SYNCED_PER_HOUR;

	private JobExecutionStatements() {
	}

}
