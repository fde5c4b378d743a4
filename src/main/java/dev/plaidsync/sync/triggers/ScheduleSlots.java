package dev.plaidsync.sync.triggers;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A scheduled run's slot: the cron's fire time on its zone's wall clock (see
 * {@link WallClockCronTrigger}), ISO-8601 with its offset. It identifies the run, so a
 * second launch of the same slot, from any node, meets the existing job instance instead
 * of starting a duplicate.
 */
final class ScheduleSlots {

	private ScheduleSlots() {
	}

	static String slot(String cron, ZoneId zone, ZonedDateTime now) {
		Instant fire = new WallClockCronTrigger(cron, zone).latestAtOrBefore(now.toInstant());
		ZonedDateTime fireTime = (fire != null) ? fire.atZone(zone) : now.withZoneSameInstant(zone).withNano(0);
		return fireTime.toOffsetDateTime().toString();
	}

}
