package dev.plaidsync.operations;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.plaidsync.common.DedicatedThread;

import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Daily, on one node and on a thread of its own (never holding the shared scheduler): purges Spring Batch metadata in
 * tiers, and webhook events.
 * <ul>
 * <li>Completed single-item and single-user runs (webhooks, users' syncs): kept {@code single-run-retention} (7 days).</li>
 * <li>Everything else that ended (scheduled sweeps, failed and stopped runs, abandoned ones, other jobs): kept
 * {@code retention} (90 days); but a failed or stopped sweep (scope ALL) that no operator resolved, by abandoning it or
 * restarting it to completion, is kept however old.</li>
 * <li>Webhook events no longer in flight: {@code retention}.</li>
 * </ul>
 * A job instance goes when its last execution is due, through Spring Batch's own {@code JobRepository.deleteJobInstance}
 * (its executions, parameters, steps and contexts), with the engine's rows about those executions. Work goes in
 * batches of {@code retention-batch}, each in short transactions, walking executions by end time, so that no
 * transaction is long and no lock is held across batches. The operator audit trail is kept.
 */
@Component
class Retention {

	private static final Logger log = LoggerFactory.getLogger(Retention.class);

	private final JdbcClient jdbc;

	private final JobRepository jobRepository;

	private final OpsProperties properties;

	private final LockingTaskExecutor locking;

	Retention(JdbcClient jdbc, JobRepository jobRepository, OpsProperties properties, LockProvider lockProvider) {
		this.jdbc = jdbc;
		this.jobRepository = jobRepository;
		this.properties = properties;
		this.locking = new DefaultLockingTaskExecutor(lockProvider);
	}

	@Scheduled(cron = "${plaidsync.ops.retention-cron:0 15 6 * * *}", zone = "${plaidsync.sync.schedules.zone:America/New_York}")
	void scheduled() {
		DedicatedThread.once("retention", () -> this.locking.executeWithLock((Runnable) this::purge,
				new LockConfiguration(Instant.now(), "retention", Duration.ofHours(6), Duration.ZERO)));
	}

	/** @return how many job instances and webhook events were purged */
	Purged purge() {
		long instances = purgeJobInstances();
		long events = purgeWebhookEvents();
		this.jdbc.sql("DELETE FROM engine_nodes WHERE last_seen_at < now() - make_interval(secs => :retention)")
			.param("retention", (double) this.properties.retention().toSeconds()).update();
		log.info("Retention: purged {} job instances (single runs older than {}, the rest older than {}) and {} webhook "
				+ "events older than {}", instances, this.properties.singleRunRetention(), this.properties.retention(), events,
				this.properties.retention());
		return new Purged(instances, events);
	}

	private long purgeJobInstances() {
		double shortTier = this.properties.singleRunRetention().toSeconds();
		double longTier = this.properties.retention().toSeconds();
		LocalDateTime afterEnd = LocalDateTime.of(1970, 1, 1, 0, 0);
		long afterId = 0;
		long purged = 0;
		while (true) {
			List<Candidate> batch = this.jdbc.sql("""
					SELECT e.job_execution_id, e.job_instance_id, e.end_time,
					       NOT EXISTS (SELECT 1 FROM batch_job_execution l WHERE l.job_instance_id = e.job_instance_id
					                   AND l.job_execution_id > e.job_execution_id)
					       AND CASE
					           WHEN s.parameter_value IN ('ITEM', 'USER') AND e.status = 'COMPLETED'
					               THEN e.end_time < localtimestamp - make_interval(secs => :shortTier)
					           WHEN coalesce(s.parameter_value, 'ALL') = 'ALL' AND e.status IN ('FAILED', 'STOPPED')
					               THEN false
					           ELSE e.end_time < localtimestamp - make_interval(secs => :longTier)
					       END AS due
					FROM batch_job_execution e
					LEFT JOIN batch_job_execution_params s ON s.job_execution_id = e.job_execution_id AND s.parameter_name = 'scope'
					WHERE e.end_time < localtimestamp - make_interval(secs => :walkUntil)
					  AND (e.end_time, e.job_execution_id) > (:afterEnd, :afterId)
					ORDER BY e.end_time, e.job_execution_id
					LIMIT :batch
					""")
				.param("shortTier", shortTier)
				.param("longTier", longTier)
				.param("walkUntil", Math.min(shortTier, longTier))
				.param("afterEnd", afterEnd)
				.param("afterId", afterId)
				.param("batch", this.properties.retentionBatch())
				.query(Candidate.class)
				.list();
			if (batch.isEmpty()) {
				return purged;
			}
			List<Long> due = batch.stream().filter(Candidate::due).map(Candidate::jobInstanceId).distinct().toList();
			if (!due.isEmpty()) {
				this.jdbc.sql("""
						WITH executions AS (SELECT job_execution_id FROM batch_job_execution WHERE job_instance_id IN (:instances)),
						     failures AS (DELETE FROM sync_item_failures WHERE job_execution_id IN (SELECT job_execution_id FROM executions))
						DELETE FROM job_execution_owners WHERE job_execution_id IN (SELECT job_execution_id FROM executions)
						""").param("instances", due).update();
				for (long instanceId : due) {
					JobInstance instance = this.jobRepository.getJobInstance(instanceId);
					if (instance != null) {
						this.jobRepository.deleteJobInstance(instance);
						purged++;
					}
				}
			}
			Candidate last = batch.get(batch.size() - 1);
			afterEnd = last.endTime();
			afterId = last.jobExecutionId();
		}
	}

	private long purgeWebhookEvents() {
		long purged = 0;
		int deleted;
		do {
			deleted = this.jdbc.sql("""
					DELETE FROM plaid_webhook_events WHERE id IN (
					    SELECT id FROM plaid_webhook_events
					    WHERE created_at < now() - make_interval(secs => :retention) AND status NOT IN ('RECEIVED', 'LAUNCHED')
					    ORDER BY created_at LIMIT :batch)
					""").param("retention", (double) this.properties.retention().toSeconds())
				.param("batch", this.properties.retentionBatch())
				.update();
			purged += deleted;
		}
		while (deleted == this.properties.retentionBatch());
		return purged;
	}

	private record Candidate(long jobExecutionId, long jobInstanceId, LocalDateTime endTime, boolean due) {
	}

	record Purged(long jobInstances, long webhookEvents) {
	}

}
