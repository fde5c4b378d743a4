package dev.plaidsync.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

/** When a sync execution ends, frees its scope in the launcher so that the run waiting behind it starts. */
@Component
class SyncRunListener implements JobExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(SyncRunListener.class);

	private final SyncLauncher launcher;

	SyncRunListener(SyncLauncher launcher) {
		this.launcher = launcher;
	}

	@Override
	public void afterJob(JobExecution execution) {
		if (!execution.getAllFailureExceptions().isEmpty()) {
			Throwable cause = execution.getAllFailureExceptions().get(0);
			while (cause.getCause() != null && cause.getCause() != cause) {
				cause = cause.getCause();
			}
			log.warn("{} #{} ended {}: {}", execution.getJobInstance().getJobName(), execution.getId(), execution.getStatus(),
					cause.getMessage());
		}
		this.launcher.runFinished(execution);
	}

}
