package dev.plaidsync.sync.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.plaidsync.common.NodeIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A rollout's SIGTERM: after the web server has stopped taking requests, this node's
 * running executions stop at their next chunk boundary and are recorded STOPPED, so that
 * a live node resumes them; the process then exits within the grace period.
 */
@Component
class GracefulJobShutdown implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(GracefulJobShutdown.class);

	private final JdbcClient jdbc;

	private final JobRepository jobRepository;

	private final JobOperator jobOperator;

	private final JobRuntimeProperties properties;

	private final NodeIdentity node;

	private volatile boolean running;

	GracefulJobShutdown(JdbcClient jdbc, JobRepository jobRepository, JobOperator jobOperator,
			JobRuntimeProperties properties, NodeIdentity node) {
		this.node = node;
		this.jdbc = jdbc;
		this.jobRepository = jobRepository;
		this.jobOperator = jobOperator;
		this.properties = properties;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		List<Long> owned = this.jdbc.sql("""
				SELECT e.job_execution_id FROM batch_job_execution e
				JOIN job_execution_owners o ON o.job_execution_id = e.job_execution_id
				WHERE o.node_id = :node AND e.status IN ('STARTING', 'STARTED')
				""").param("node", this.node.id()).query(Long.class).list();
		if (owned.isEmpty()) {
			return;
		}
		log.info("Shutting down: stopping {} running execution(s) at their next chunk boundary", owned.size());
		for (long id : owned) {
			try {
				this.jdbc
					.sql("UPDATE job_execution_owners SET stopped_for_shutdown_at = now() WHERE job_execution_id = :id")
					.param("id", id)
					.update();
				this.jobOperator.stop(this.jobRepository.getJobExecution(id));
			}
			catch (OptimisticLockingFailureException ex) {
				stopRacedWithAChunkCommit(id, ex);
			}
			catch (Exception ex) {
				log.warn("Could not stop execution #{}: {}", id, ex.getMessage());
			}
		}
		Instant deadline = Instant.now().plus(this.properties.shutdownWait());
		while (Instant.now().isBefore(deadline) && owned.stream().anyMatch(this::stillRunning)) {
			sleep(Duration.ofMillis(200));
		}
		owned.stream()
			.filter(this::stillRunning)
			.forEach((id) -> log.warn(
					"Execution #{} did not reach a chunk boundary within {}; another node will find it orphaned", id,
					this.properties.shutdownWait()));
	}

	/**
	 * Spring Batch's {@code stop} marks the job execution STOPPING, then updates its
	 * running step executions, which races with the step's own chunk commit
	 * (spring-batch#5484). The STOPPING mark is what the step checks at its next chunk
	 * boundary, so once it is stored the stop is under way; otherwise it is asked again.
	 */
	private void stopRacedWithAChunkCommit(long id, OptimisticLockingFailureException ex) {
		JobExecution execution = this.jobRepository.getJobExecution(id);
		if (execution == null || execution.getStatus() == BatchStatus.STOPPING || !execution.isRunning()) {
			log.debug("Stop of execution #{} raced with a chunk commit; it is {}", id,
					execution == null ? "gone" : execution.getStatus(), ex);
			return;
		}
		try {
			this.jobOperator.stop(execution);
		}
		catch (Exception again) {
			log.warn("Could not stop execution #{}: {}", id, again.getMessage());
		}
	}

	private boolean stillRunning(long id) {
		JobExecution execution = this.jobRepository.getJobExecution(id);
		return execution != null && execution.isRunning();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Below the web server's graceful shutdown, so intake stops taking work first. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
