package dev.plaidsync.sync.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

/**
 * When a sync execution ends: records the end for the requests it served (see
 * {@link SyncRunEndings}), then frees its scope in the launcher so that the run waiting
 * behind it starts.
 */
@Component
public class SyncRunListener implements JobExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(SyncRunListener.class);

	private final CoalescingSyncLauncher launcher;

	private final SyncRunEndings runEndings;

	SyncRunListener(CoalescingSyncLauncher launcher, SyncRunEndings runEndings) {
		this.launcher = launcher;
		this.runEndings = runEndings;
	}

	@Override
	public void afterJob(JobExecution execution) {
		if (!execution.getAllFailureExceptions().isEmpty()) {
			Throwable cause = execution.getAllFailureExceptions().get(0);
			while (cause.getCause() != null && cause.getCause() != cause) {
				cause = cause.getCause();
			}
			log.warn("{} #{} ended {}: {}", execution.getJobInstance().getJobName(), execution.getId(),
					execution.getStatus(), cause.getMessage());
		}
		try {
			this.runEndings.executionEnded(execution);
		}
		catch (RuntimeException ex) {
			log.warn("Could not record the end of {} #{} for its requests now; the launcher's reconcile will: {}",
					execution.getJobInstance().getJobName(), execution.getId(), ex.getMessage());
		}
		this.launcher.runFinished(execution);
	}

}
