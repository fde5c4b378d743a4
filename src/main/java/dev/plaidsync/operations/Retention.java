package dev.plaidsync.operations;

import java.time.Duration;
import java.time.Instant;

import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.plaidsync.common.DedicatedThread;
import dev.plaidsync.sync.JobExecutions;
import dev.plaidsync.webhooks.WebhookEventLog;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Daily, on one node and on a thread of its own (never holding the shared scheduler):
 * purges Spring Batch metadata in tiers, and webhook events, through their owners
 * ({@link JobExecutions#purgeEnded}, {@link WebhookEventLog}).
 * <ul>
 * <li>Completed single-item and single-user runs (webhooks, users' syncs): kept
 * {@code single-run-retention} (7 days).</li>
 * <li>Everything else that ended (scheduled sweeps, failed and stopped runs, abandoned
 * ones, other jobs): kept {@code retention} (90 days); but a failed or stopped sweep
 * (scope ALL) that no operator resolved, by abandoning it or restarting it to completion,
 * is kept however old.</li>
 * <li>Webhook events no longer in flight: {@code retention}.</li>
 * </ul>
 * Work goes in batches of {@code retention-batch}, each in short transactions. The
 * operator audit trail is kept.
 */
@Component
class Retention {

	private static final Logger log = LoggerFactory.getLogger(Retention.class);

	private final JobExecutions executions;

	private final WebhookEventLog webhookEvents;

	private final OpsProperties properties;

	private final LockingTaskExecutor locking;

	Retention(JobExecutions executions, WebhookEventLog webhookEvents, OpsProperties properties,
			LockProvider lockProvider) {
		this.executions = executions;
		this.webhookEvents = webhookEvents;
		this.properties = properties;
		this.locking = new DefaultLockingTaskExecutor(lockProvider);
	}

	@Scheduled(cron = "${plaidsync.ops.retention-cron:0 15 6 * * *}",
			zone = "${plaidsync.sync.schedules.zone:America/New_York}")
	void scheduled() {
		DedicatedThread.once("retention", () -> this.locking.executeWithLock((Runnable) this::purge,
				new LockConfiguration(Instant.now(), "retention", Duration.ofHours(6), Duration.ZERO)));
	}

	/**
	 * @return how many job instances and webhook events were purged
	 */
	Purged purge() {
		long instances = this.executions.purgeEnded(this.properties.singleRunRetention(), this.properties.retention(),
				this.properties.retentionBatch());
		long events = this.webhookEvents.purgeOlderThan(this.properties.retention(), this.properties.retentionBatch());
		this.executions.forgetNodesUnseenFor(this.properties.retention());
		log.info(
				"Retention: purged {} job instances (single runs older than {}, the rest older than {}) and {} webhook "
						+ "events older than {}",
				instances, this.properties.singleRunRetention(), this.properties.retention(), events,
				this.properties.retention());
		return new Purged(instances, events);
	}

	record Purged(long jobInstances, long webhookEvents) {
	}

}
