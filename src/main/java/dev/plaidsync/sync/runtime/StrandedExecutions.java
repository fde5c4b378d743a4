package dev.plaidsync.sync.runtime;

import java.util.List;
import java.util.Set;

import dev.plaidsync.common.EngineLifecycle;
import dev.plaidsync.common.NodeIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * A database outage can strand an execution on a live node: its thread ends (the step
 * failed on the lost connection) while the database cannot record how, so the repository
 * still says STARTED. Orphan recovery waits for dead nodes and never touches it. Every
 * node therefore checks its own executions: one STARTED in the repository that none of
 * its threads runs, and that is not waiting for one of them (launched here, queued in the
 * job executor), is marked FAILED with the reason and flagged stranded, and
 * {@link OrphanRecovery} resumes it like an orphan. Operators see it among failed
 * executions, where they can also restart or abandon it.
 */
@Component
class StrandedExecutions {

	/** Executions the repository records as running and owned by node {@code :node}. */
	static final String STARTED_HERE = """
			SELECT e.job_execution_id FROM batch_job_execution e
			JOIN job_execution_owners o ON o.job_execution_id = e.job_execution_id
			WHERE o.node_id = :node AND e.status IN ('STARTING', 'STARTED', 'STOPPING')
			ORDER BY e.job_execution_id
			""";

	private static final Logger log = LoggerFactory.getLogger(StrandedExecutions.class);

	static final String REASON = "Stranded: no thread of its node runs it any more (it ended while the database could "
			+ "not record how, e.g. during an outage); failed so that it is resumed";

	private final JdbcClient jdbc;

	private final JobRepository jobRepository;

	private final JobOperator jobOperator;

	private final ExecutionOwnership ownership;

	private final EngineLifecycle lifecycle;

	private final NodeIdentity node;

	StrandedExecutions(JdbcClient jdbc, JobRepository jobRepository, JobOperator jobOperator,
			ExecutionOwnership ownership, EngineLifecycle lifecycle, NodeIdentity node) {
		this.node = node;
		this.jdbc = jdbc;
		this.jobRepository = jobRepository;
		this.jobOperator = jobOperator;
		this.ownership = ownership;
		this.lifecycle = lifecycle;
	}

	@Scheduled(fixedDelayString = "${plaidsync.ops.recovery-interval:15s}",
			initialDelayString = "${plaidsync.ops.recovery-interval:15s}")
	void failStranded() {
		if (this.lifecycle.isShuttingDown()) {
			return;
		}
		try {
			failStrandedExecutions();
		}
		catch (DataAccessException | TransactionException unavailable) {
			log.debug("Could not check for stranded executions, will again: {}", unavailable.getMessage());
		}
	}

	private void failStrandedExecutions() {
		// Which executions run here is read before the repository: one that ends in
		// between is then still seen as
		// running, never as stranded.
		Set<Long> runningHere = this.ownership.runningHere();
		Set<Long> waitingHere = this.ownership.waitingHere();
		List<Long> startedHere = this.jdbc.sql(STARTED_HERE).param("node", this.node.id()).query(Long.class).list();
		// ...and again after it: one that started in between (it is registered here
		// before its owner row is written)
		// is then seen as running too, where it was marked stranded while it ran (found
		// by the day benchmark's bursts).
		Set<Long> startedSince = this.ownership.runningHere();
		for (long id : startedHere) {
			// launched here and still waiting for a thread: alive, however long it waits
			if (runningHere.contains(id) || startedSince.contains(id) || waitingHere.contains(id)) {
				continue;
			}
			JobExecution execution = this.jobRepository.getJobExecution(id);
			if (execution == null || !execution.isRunning()) {
				continue;
			}
			this.jobOperator.recover(execution);
			this.jdbc.sql("UPDATE batch_job_execution SET exit_message = :reason WHERE job_execution_id = :id")
				.param("reason", REASON)
				.param("id", id)
				.update();
			this.jdbc.sql("UPDATE job_execution_owners SET stranded_at = now() WHERE job_execution_id = :id")
				.param("id", id)
				.update();
			log.warn(
					"{} #{} was still recorded as running, but no thread of this node runs it: marked FAILED (stranded), "
							+ "to be resumed",
					execution.getJobInstance().getJobName(), id);
		}
	}

}
