package dev.plaidsync.sync;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.step.StepExecution;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Logs every running sync step's progress at a fixed interval, however long its chunks take. */
@Component
public class SyncProgressLog {

	private static final Logger log = LoggerFactory.getLogger(SyncProgressLog.class);

	private final Map<Long, StepExecution> running = new ConcurrentHashMap<>();

	void started(StepExecution step) {
		this.running.put(step.getId(), step);
		log.info("{} #{} started: {} items in scope", step.getJobExecution().getJobInstance().getJobName(),
				step.getJobExecutionId(), step.getExecutionContext().getLong(SyncWriter.TOTAL, 0L));
	}

	void finished(StepExecution step) {
		this.running.remove(step.getId());
		log.info("{} finished {}", SyncProgress.of(step), step.getStatus());
	}

	/** The progress of the sync steps running on this node. */
	public List<SyncProgress> running() {
		return this.running.values().stream().map(SyncProgress::of).toList();
	}

	@Scheduled(fixedRateString = "${plaidsync.sync.progress-log-interval:10s}")
	void logProgress() {
		this.running.values().stream().map(SyncProgress::of).filter((progress) -> progress.total() > 1)
			.forEach((progress) -> log.info("{}", progress));
	}

}
