package dev.plaidsync.operations;

import java.util.List;

import dev.plaidsync.sync.SyncScheduleCalendar;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The sweeps' schedules in their zone, with their next run (its offset included). */
@RestController
class OpsSchedulesController {

	private final SyncScheduleCalendar calendar;

	OpsSchedulesController(SyncScheduleCalendar calendar) {
		this.calendar = calendar;
	}

	@GetMapping("/ops/schedules")
	List<SyncScheduleCalendar.ScheduledSweep> schedules() {
		return this.calendar.schedules();
	}

}
