package dev.plaidsync.sync.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.plaidsync.common.DedicatedThread;
import dev.plaidsync.common.EngineLifecycle;
import dev.plaidsync.sync.JobExecutions;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * No crash or rollout leaves work stuck. An execution still marked running whose node has
 * not been seen for {@code orphan-after} is marked FAILED (Batch's recover) and shown as
 * orphaned. Orphaned executions, and those a shutting-down node stopped at a chunk
 * boundary, and those a live node found stranded ({@link StrandedExecutions}), are
 * restarted by a live node (when {@code auto-resume} is on), once each: scheduled sweeps,
 * webhook runs and user runs alike. It runs on a thread of its own (one node at a time,
 * under the {@code orphanRecovery} lock), so that a busy shared scheduler never delays
 * it.
 */
@Component
class OrphanRecovery implements SmartLifecycle {

	/**
	 * Executions still marked running whose node is gone, or that never got an owner,
	 * after {@code :after} seconds. An execution waiting for a thread of a live node is
	 * owned from its launch (see {@link ExecutionOwnership#launch}) and never matches,
	 * however long it waits.
	 */
	static final String ORPHANS = """
			SELECT e.job_execution_id FROM batch_job_execution e
			LEFT JOIN job_execution_owners o ON o.job_execution_id = e.job_execution_id
			LEFT JOIN engine_nodes n ON n.node_id = o.node_id
			WHERE e.status IN ('STARTING', 'STARTED', 'STOPPING')
			  AND CASE WHEN o.node_id IS NULL THEN e.create_time < localtimestamp - make_interval(secs => :after)
			           ELSE n.node_id IS NULL OR n.last_seen_at < now() - make_interval(secs => :after)
			      END
			ORDER BY e.job_execution_id
			""";

	/**
	 * Orphaned, shut-down-stopped and stranded executions that are still their instance's
	 * last, not yet resumed.
	 */
	static final String RESUMABLE = """
			SELECT o.job_execution_id FROM job_execution_owners o
			JOIN batch_job_execution e ON e.job_execution_id = o.job_execution_id
			WHERE o.resumed_at IS NULL
			  AND (o.orphaned_at IS NOT NULL OR o.stopped_for_shutdown_at IS NOT NULL OR o.stranded_at IS NOT NULL)
			  AND e.status IN ('FAILED', 'STOPPED')
			  AND e.job_execution_id = (SELECT max(later.job_execution_id) FROM batch_job_execution later
			                            WHERE later.job_instance_id = e.job_instance_id)
			ORDER BY o.job_execution_id LIMIT 100
			""";

	private static final Logger log = LoggerFactory.getLogger(OrphanRecovery.class);

	private final JdbcClient jdbc;

	private final JobRepository jobRepository;

	private final JobOperator jobOperator;

	private final JobRuntimeProperties properties;

	private final EngineLifecycle lifecycle;

	private final LockingTaskExecutor locking;

	private final Duration interval;

	private final ExecutionOwnership ownership;

	private volatile DedicatedThread thread;

	OrphanRecovery(JdbcClient jdbc, JobRepository jobRepository, JobOperator jobOperator,
			JobRuntimeProperties properties, EngineLifecycle lifecycle, LockProvider lockProvider,
			ExecutionOwnership ownership) {
		this.ownership = ownership;
		this.jdbc = jdbc;
		this.jobRepository = jobRepository;
		this.jobOperator = jobOperator;
		this.properties = properties;
		this.lifecycle = lifecycle;
		this.locking = new DefaultLockingTaskExecutor(lockProvider);
		this.interval = properties.recoveryInterval();
	}

	@Override
	public void start() {
		this.thread = DedicatedThread.withFixedDelay("orphan-recovery", this.interval, this.interval,
				() -> this.locking.executeWithLock((Runnable) this::recoverAndResume,
						new LockConfiguration(Instant.now(), "orphanRecovery", Duration.ofMinutes(5), Duration.ZERO)));
	}

	@Override
	public void stop() {
		DedicatedThread running = this.thread;
		this.thread = null;
		if (running != null) {
			running.close();
		}
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

	void recoverAndResume() {
		if (this.lifecycle.isShuttingDown()) {
			return;
		}
		markOrphans();
		if (this.properties.autoResume()) {
			resume();
		}
	}

	void markOrphans() {
		List<Long> orphans = this.jdbc.sql(ORPHANS)
			.param("after", (double) this.properties.orphanAfter().toSeconds())
			.query(Long.class)
			.list();
		for (long id : orphans) {
			JobExecution execution = this.jobRepository.getJobExecution(id);
			if (execution == null || !execution.isRunning()) {
				continue;
			}
			this.jobOperator.recover(execution);
			this.jdbc.sql("""
					INSERT INTO job_execution_owners (job_execution_id, job_name, node_id, orphaned_at)
					VALUES (:id, :job, 'unknown', now())
					ON CONFLICT (job_execution_id) DO UPDATE SET orphaned_at = now()
					""").param("id", id).param("job", execution.getJobInstance().getJobName()).update();
			log.warn("{} #{} was left running by a node that is gone: marked FAILED (orphaned)",
					execution.getJobInstance().getJobName(), id);
		}
	}

	void resume() {
		List<Long> resumable = this.jdbc.sql(RESUMABLE).query(Long.class).list();
		for (long id : resumable) {
			JobExecution execution = this.jobRepository.getJobExecution(id);
			try {
				JobExecution resumed = this.ownership.launch(() -> this.jobOperator.restart(execution));
				this.jdbc.sql(
						"UPDATE job_execution_owners SET resumed_at = now(), resumed_as = :resumed WHERE job_execution_id = :id")
					.param("resumed", resumed.getId())
					.param("id", id)
					.update();
				log.info("Resumed {} #{} as #{}", execution.getJobInstance().getJobName(), id, resumed.getId());
			}
			catch (Exception ex) {
				this.jdbc.sql("UPDATE job_execution_owners SET resumed_at = now() WHERE job_execution_id = :id")
					.param("id", id)
					.update();
				log.warn("Could not resume {} #{}: {}", execution.getJobInstance().getJobName(), id,
						JobExecutions.realCause(ex));
			}
		}
	}

}
