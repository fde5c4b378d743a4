package dev.plaidsync.sync.triggers;

import java.time.ZoneId;
import java.time.ZonedDateTime;

import dev.plaidsync.sync.LaunchOutcome;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.sync.runtime.SyncProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * The sweeps, each launched by one node (ShedLock on database time) with its fire time as
 * its slot:
 * <ul>
 * <li>holdings nightly, for items not refreshed within {@code holdings-max-age} (webhooks
 * did those);</li>
 * <li>balances every six hours;</li>
 * <li>a transactions safety net daily, and a full 24-month reconcile weekly.</li>
 * </ul>
 */
@Component
class SyncSchedules {

	/**
	 * Registers each sweep on its cron read on the zone's wall clock
	 * ({@link WallClockCronTrigger}), so that the 02:00 holdings sweep fires once on both
	 * days the clocks change. The sweeps are called through their proxy, so that
	 * ShedLock's {@code @SchedulerLock} applies. {@code "-"} switches a schedule off.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Triggers implements SchedulingConfigurer {

		private final SyncSchedules schedules;

		private final SyncProperties properties;

		Triggers(SyncSchedules schedules, SyncProperties properties) {
			this.schedules = schedules;
			this.properties = properties;
		}

		@Override
		public void configureTasks(ScheduledTaskRegistrar registrar) {
			SyncProperties.Schedules crons = this.properties.schedules();
			ZoneId zone = ZoneId.of(crons.zone());
			register(registrar, crons.holdings(), zone, this.schedules::holdingsSweep);
			register(registrar, crons.balances(), zone, this.schedules::balancesSweep);
			register(registrar, crons.transactions(), zone, this.schedules::transactionsSweep);
			register(registrar, crons.reconcile(), zone, this.schedules::transactionsReconcile);
		}

		private static void register(ScheduledTaskRegistrar registrar, String cron, ZoneId zone, Runnable sweep) {
			if (!ScheduledTaskRegistrar.CRON_DISABLED.equals(cron)) {
				registrar.addTriggerTask(sweep, new WallClockCronTrigger(cron, zone));
			}
		}

	}

	private static final Logger log = LoggerFactory.getLogger(SyncSchedules.class);

	private final SyncLauncher launcher;

	private final SyncProperties properties;

	private final MeterRegistry meters;

	SyncSchedules(SyncLauncher launcher, SyncProperties properties, MeterRegistry meters) {
		this.launcher = launcher;
		this.properties = properties;
		this.meters = meters;
	}

	@SchedulerLock(name = "holdingsSweep", lockAtLeastFor = "${plaidsync.sync.schedules.lock-at-least-for:PT30S}",
			lockAtMostFor = "${plaidsync.sync.schedules.lock-at-most-for:PT6H}")
	void holdingsSweep() {
		launch(SyncJob.HOLDINGS, this.properties.schedules().holdings(),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, this.properties.holdingsMaxAge()));
	}

	@SchedulerLock(name = "balancesSweep", lockAtLeastFor = "${plaidsync.sync.schedules.lock-at-least-for:PT30S}",
			lockAtMostFor = "${plaidsync.sync.schedules.lock-at-most-for:PT6H}")
	void balancesSweep() {
		launch(SyncJob.BALANCES, this.properties.schedules().balances(),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, null));
	}

	@SchedulerLock(name = "transactionsSweep", lockAtLeastFor = "${plaidsync.sync.schedules.lock-at-least-for:PT30S}",
			lockAtMostFor = "${plaidsync.sync.schedules.lock-at-most-for:PT6H}")
	void transactionsSweep() {
		launch(SyncJob.TRANSACTIONS, this.properties.schedules().transactions(),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, this.properties.transactionsMaxAge()));
	}

	@SchedulerLock(name = "transactionsReconcile",
			lockAtLeastFor = "${plaidsync.sync.schedules.lock-at-least-for:PT30S}",
			lockAtMostFor = "${plaidsync.sync.schedules.lock-at-most-for:PT6H}")
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
