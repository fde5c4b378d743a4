package dev.plaidsync.sync;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.step.StepExecution;

/**
 * How far a sync step has come: items done of the total in scope when it started,
 * failures, rate and ETA.
 */
public record SyncProgress(String jobName, long jobExecutionId, long done, long total, long failed,
		double itemsPerSecond, @Nullable Duration eta) {

	/**
	 * The step execution context's key for the items in scope when the step (or its
	 * restart) started.
	 */
	public static final String TOTAL = "sync.total";

	/** The step execution context's key for the items the step recorded as failed. */
	public static final String FAILED = "sync.failed";

	public static SyncProgress of(StepExecution step) {
		long done = step.getWriteCount();
		long total = step.getExecutionContext().getLong(TOTAL, done);
		long failed = step.getExecutionContext().getLong(FAILED, 0L);
		LocalDateTime started = step.getStartTime();
		double seconds = (started != null) ? Math.max(0.001,
				Duration.between(started.atZone(ZoneId.systemDefault()).toInstant(), Instant.now()).toMillis() / 1000.0)
				: 0.001;
		double rate = done / seconds;
		Duration eta = (rate > 0 && total > done) ? Duration.ofSeconds((long) Math.ceil((total - done) / rate)) : null;
		return new SyncProgress(step.getJobExecution().getJobInstance().getJobName(), step.getJobExecutionId(), done,
				total, failed, rate, eta);
	}

	public int percent() {
		return (this.total == 0) ? 100 : (int) Math.min(100, this.done * 100 / this.total);
	}

	@Override
	public String toString() {
		return String.format("%s #%d: %d/%d items (%d%%), %d failed, %.1f items/s, ETA %s", this.jobName,
				this.jobExecutionId, this.done, this.total, percent(), this.failed, this.itemsPerSecond,
				(this.eta != null) ? this.eta : "-");
	}

}
