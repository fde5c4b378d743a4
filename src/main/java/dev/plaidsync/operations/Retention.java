package dev.plaidsync.operations;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Daily, on one node: purges Spring Batch metadata and webhook events older than {@code retention}. A failed or
 * stopped execution that no operator resolved (by abandoning it, or restarting it to completion) is kept, however
 * old. The operator audit trail is kept.
 */
@Component
class Retention {

	private static final Logger log = LoggerFactory.getLogger(Retention.class);

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final OpsProperties properties;

	Retention(JdbcClient jdbc, TransactionTemplate transaction, OpsProperties properties) {
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.properties = properties;
	}

	@Scheduled(cron = "${plaidsync.ops.retention-cron:0 15 6 * * *}", zone = "${plaidsync.sync.schedules.zone:America/New_York}")
	@SchedulerLock(name = "retention", lockAtMostFor = "PT1H")
	void purge() {
		double seconds = this.properties.retention().toSeconds();
		int[] purged = this.transaction.execute((status) -> {
			this.jdbc.sql("""
					CREATE TEMP TABLE purged_executions ON COMMIT DROP AS
					SELECT e.job_execution_id FROM batch_job_execution e
					WHERE e.end_time < localtimestamp - make_interval(secs => :retention)
					  AND (e.status IN ('COMPLETED', 'ABANDONED')
					       OR EXISTS (SELECT 1 FROM batch_job_execution later WHERE later.job_instance_id = e.job_instance_id
					                  AND later.status IN ('COMPLETED', 'ABANDONED')))
					""").param("retention", seconds).update();
			this.jdbc.sql("DELETE FROM batch_step_execution_context WHERE step_execution_id IN "
					+ "(SELECT step_execution_id FROM batch_step_execution WHERE job_execution_id IN (SELECT job_execution_id FROM purged_executions))").update();
			this.jdbc.sql("DELETE FROM batch_step_execution WHERE job_execution_id IN (SELECT job_execution_id FROM purged_executions)").update();
			this.jdbc.sql("DELETE FROM batch_job_execution_context WHERE job_execution_id IN (SELECT job_execution_id FROM purged_executions)").update();
			this.jdbc.sql("DELETE FROM batch_job_execution_params WHERE job_execution_id IN (SELECT job_execution_id FROM purged_executions)").update();
			this.jdbc.sql("DELETE FROM sync_item_failures WHERE job_execution_id IN (SELECT job_execution_id FROM purged_executions)").update();
			this.jdbc.sql("DELETE FROM job_execution_owners WHERE job_execution_id IN (SELECT job_execution_id FROM purged_executions)").update();
			int executions = this.jdbc.sql("DELETE FROM batch_job_execution WHERE job_execution_id IN (SELECT job_execution_id FROM purged_executions)").update();
			this.jdbc.sql("DELETE FROM batch_job_instance i WHERE NOT EXISTS "
					+ "(SELECT 1 FROM batch_job_execution e WHERE e.job_instance_id = i.job_instance_id)").update();
			int events = this.jdbc.sql("""
					DELETE FROM plaid_webhook_events WHERE created_at < now() - make_interval(secs => :retention)
					AND status NOT IN ('RECEIVED', 'LAUNCHED')
					""").param("retention", seconds).update();
			this.jdbc.sql("DELETE FROM engine_nodes WHERE last_seen_at < now() - make_interval(secs => :retention)")
				.param("retention", seconds).update();
			return new int[] { executions, events };
		});
		log.info("Retention: purged {} job executions and {} webhook events older than {}", purged[0], purged[1],
				this.properties.retention());
	}

}
