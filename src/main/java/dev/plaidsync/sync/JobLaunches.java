package dev.plaidsync.sync;

import java.util.concurrent.Callable;

import org.springframework.batch.core.job.JobExecution;

/**
 * Every launch on this node's job executor that does not go through {@link SyncLauncher}
 * (an operator's restart, a maintenance job) goes through here, so that the execution is
 * owned by this node from its launch: one that waits for a thread of a live node is never
 * taken for an orphan.
 */
public interface JobLaunches {

	/**
	 * Runs {@code start} (a {@code JobOperator} start or restart) and records this node
	 * as the owner of the execution it created.
	 */
	JobExecution launch(Callable<JobExecution> start) throws Exception;

}
