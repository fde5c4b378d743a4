package dev.plaidsync.sync.triggers;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import dev.plaidsync.sync.SyncScheduleCalendar;
import dev.plaidsync.sync.runtime.SyncProperties;

import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/** The configured schedules ({@code plaidsync.sync.schedules}) and their next runs. */
@Component
class ScheduleCalendar implements SyncScheduleCalendar {

	private final SyncProperties properties;

	ScheduleCalendar(SyncProperties properties) {
		this.properties = properties;
	}

	@Override
	public List<ScheduledSweep> schedules() {
		SyncProperties.Schedules crons = this.properties.schedules();
		ZoneId zone = ZoneId.of(crons.zone());
		return List.of(sweep("holdingsSyncJob", crons.holdings(), zone),
				sweep("balancesSyncJob", crons.balances(), zone),
				sweep("transactionsSyncJob", crons.transactions(), zone),
				sweep("transactionsSyncJob (full reconcile)", crons.reconcile(), zone),
				sweep("item check", crons.itemCheck(), zone));
	}

	private static ScheduledSweep sweep(String name, String cron, ZoneId zone) {
		OffsetDateTime next = null;
		if (!ScheduledTaskRegistrar.CRON_DISABLED.equals(cron)) {
			ZonedDateTime fires = CronExpression.parse(cron).next(ZonedDateTime.now(zone));
			next = (fires != null) ? fires.toOffsetDateTime() : null;
		}
		return new ScheduledSweep(name, cron, zone.getId(), next);
	}

}
