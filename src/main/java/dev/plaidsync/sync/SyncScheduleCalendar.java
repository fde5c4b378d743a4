package dev.plaidsync.sync;

import java.time.OffsetDateTime;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** The sweeps' schedules, for operators: each cron, its zone and its next run. */
public interface SyncScheduleCalendar {

	/** Every schedule, switched off ones included (with no next run). */
	List<ScheduledSweep> schedules();

	/**
	 * @param cron Spring's six fields on {@code zone}'s wall clock, {@code "-"} when off
	 * @param nextRun the next run, with the zone's offset then; null when off
	 */
	record ScheduledSweep(String name, String cron, String zone, @Nullable OffsetDateTime nextRun) {
	}

}
