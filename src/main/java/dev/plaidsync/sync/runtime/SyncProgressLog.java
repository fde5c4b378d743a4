package dev.plaidsync.sync.runtime;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncProgress;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.step.StepExecution;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Logs every running sync step's progress at a fixed interval, however long its chunks
 * take.
 */
@Component
public class SyncProgressLog {

	private static final Logger log = LoggerFactory.getLogger(SyncProgressLog.class);

	private final Map<Long, StepExecution> running = new ConcurrentHashMap<>();

	SyncProgressLog(MeterRegistry meters) {
		for (SyncJob job : SyncJob.values()) {
			Tags tags = Tags.of("job", job.jobName());
			Gauge.builder("sync.progress.done", () -> sum(job, SyncProgress::done))
				.tags(tags)
				.description("Items done by this node's running executions of the job")
				.register(meters);
			Gauge.builder("sync.progress.total", () -> sum(job, SyncProgress::total))
				.tags(tags)
				.description("Items in scope of this node's running executions of the job")
				.register(meters);
			Gauge.builder("sync.progress.failed", () -> sum(job, SyncProgress::failed))
				.tags(tags)
				.description("Items failed in this node's running executions of the job")
				.register(meters);
			Gauge
				.builder("sync.progress.rate",
						() -> running().stream()
							.filter((progress) -> progress.jobName().equals(job.jobName()))
							.mapToDouble(SyncProgress::itemsPerSecond)
							.sum())
				.tags(tags)
				.baseUnit("items/s")
				.description("Items per second of this node's running executions of the job")
				.register(meters);
		}
	}

	private double sum(SyncJob job, java.util.function.ToLongFunction<SyncProgress> value) {
		return running().stream().filter((progress) -> progress.jobName().equals(job.jobName())).mapToLong(value).sum();
	}

	public void started(StepExecution step) {
		this.running.put(step.getId(), step);
		if (step.getExecutionContext().getLong(SyncProgress.TOTAL, 0L) <= 1) {
			return;
		}
		log.info("{} #{} started: {} items in scope", step.getJobExecution().getJobInstance().getJobName(),
				step.getJobExecutionId(), step.getExecutionContext().getLong(SyncProgress.TOTAL, 0L));
	}

	public void finished(StepExecution step) {
		this.running.remove(step.getId());
		SyncProgress progress = SyncProgress.of(step);
		if (progress.total() > 1 || progress.failed() > 0 || !"COMPLETED".equals(step.getStatus().name())) {
			log.info("{} finished {}", progress, step.getStatus());
		}
	}

	/** The progress of the sync steps running on this node. */
	public List<SyncProgress> running() {
		return this.running.values().stream().map(SyncProgress::of).toList();
	}

	@Scheduled(fixedRateString = "${plaidsync.sync.progress-log-interval:10s}")
	void logProgress() {
		this.running.values()
			.stream()
			.map(SyncProgress::of)
			.filter((progress) -> progress.total() > 1)
			.forEach((progress) -> log.info("{}", progress));
	}

}
