package dev.plaidsync.sync;

import java.time.ZoneId;
import java.time.ZonedDateTime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The sweeps, each launched by one node (ShedLock on database time) with its fire time as its slot:
 * <ul>
 * <li>holdings nightly, for items not refreshed within {@code holdings-max-age} (webhooks did those);</li>
 * <li>balances every six hours;</li>
 * <li>a transactions safety net daily, and a full 24-month reconcile weekly.</li>
 * </ul>
 */
@Component
class SyncSchedules {

	private static final Logger log = LoggerFactory.getLogger(SyncSchedules.class);

	private final SyncLauncher launcher;

	private final SyncProperties properties;

	private final MeterRegistry meters;

	SyncSchedules(SyncLauncher launcher, SyncProperties properties, MeterRegistry meters) {
		this.launcher = launcher;
		this.properties = properties;
		this.meters = meters;
	}

	@Scheduled(cron = "${plaidsync.sync.schedules.holdings:0 0 2 * * *}", zone = "${plaidsync.sync.schedules.zone:America/New_York}")
	@SchedulerLock(name = "holdingsSweep", lockAtLeastFor = "${plaidsync.sync.schedules.lock-at-least-for:PT30S}")
	void holdingsSweep() {
		launch(SyncJob.HOLDINGS, this.properties.schedules().holdings(),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, this.properties.holdingsMaxAge()));
	}

	@Scheduled(cron = "${plaidsync.sync.schedules.balances:0 0 */6 * * *}", zone = "${plaidsync.sync.schedules.zone:America/New_York}")
	@SchedulerLock(name = "balancesSweep", lockAtLeastFor = "${plaidsync.sync.schedules.lock-at-least-for:PT30S}")
	void balancesSweep() {
		launch(SyncJob.BALANCES, this.properties.schedules().balances(),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, null));
	}

	@Scheduled(cron = "${plaidsync.sync.schedules.transactions:0 0 3 * * *}", zone = "${plaidsync.sync.schedules.zone:America/New_York}")
	@SchedulerLock(name = "transactionsSweep", lockAtLeastFor = "${plaidsync.sync.schedules.lock-at-least-for:PT30S}")
	void transactionsSweep() {
		launch(SyncJob.TRANSACTIONS, this.properties.schedules().transactions(),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, this.properties.transactionsMaxAge()));
	}

	@Scheduled(cron = "${plaidsync.sync.schedules.reconcile:0 0 4 * * SUN}", zone = "${plaidsync.sync.schedules.zone:America/New_York}")
	@SchedulerLock(name = "transactionsReconcile", lockAtLeastFor = "${plaidsync.sync.schedules.lock-at-least-for:PT30S}")
	void transactionsReconcile() {
		launch(SyncJob.TRANSACTIONS, this.properties.schedules().reconcile(),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.FULL, null));
	}

	private void launch(SyncJob job, String cron, SyncOptions options) {
		String slot = ScheduleSlots.slot(cron, ZoneId.of(this.properties.schedules().zone()), ZonedDateTime.now());
		Counter.builder("sync.schedule.fired")
			.description("Scheduled sweeps this node fired, having won the schedule's lock")
			.tag("job", job.jobName())
			.register(this.meters)
			.increment();
		LaunchOutcome outcome = this.launcher.request(job, SyncScope.all(), slot, options);
		log.info("Scheduled {} for slot {}: {}", job.jobName(), slot, outcome.message());
	}

}
