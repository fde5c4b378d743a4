package dev.plaidsync.sync;

import java.time.Duration;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Starts sync runs through the real launcher and waits for them to end. */
public record SyncRuns(SyncLauncher launcher, JdbcClient jdbc) {

	public long runToCompletion(SyncJob job, SyncScope scope, SyncOptions options) {
		long executionId = start(job, scope, options);
		assertThat(awaitEnd(executionId)).as("status of %s #%d", job.jobName(), executionId).isEqualTo("COMPLETED");
		return executionId;
	}

	public long start(SyncJob job, SyncScope scope, SyncOptions options) {
		LaunchOutcome outcome = this.launcher.request(job, scope, "test:" + UUID.randomUUID(), options);
		assertThat(outcome.status()).as(outcome.message()).isEqualTo(LaunchOutcome.Status.STARTED);
		return outcome.jobExecutionId();
	}

	public String awaitEnd(long executionId) {
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> !isRunning(executionId));
		return status(executionId);
	}

	String status(long executionId) {
		return this.jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = :id")
			.param("id", executionId)
			.query(String.class)
			.single();
	}

	private boolean isRunning(long executionId) {
		return switch (status(executionId)) {
			case "STARTING", "STARTED", "STOPPING" -> true;
			default -> false;
		};
	}

	public void awaitIdle() {
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.jdbc.sql(
					"SELECT (SELECT count(*) FROM sync_requests) + (SELECT count(*) FROM batch_job_execution WHERE status IN ('STARTING', 'STARTED', 'STOPPING'))")
				.query(Long.class)
				.single() == 0);
	}

}
