package dev.plaidsync.sync;

import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.springframework.scheduling.support.CronExpression;

/**
 * A scheduled run's slot: the cron's fire time, ISO-8601 with its offset. It identifies the run, so a second
 * launch of the same slot, from any node, meets the existing job instance instead of starting a duplicate.
 */
final class ScheduleSlots {

	private ScheduleSlots() {
	}

	static String slot(String cron, ZoneId zone, ZonedDateTime now) {
		CronExpression expression = CronExpression.parse(cron);
		ZonedDateTime current = now.withZoneSameInstant(zone);
		ZonedDateTime candidate = current.minusHours(1);
		ZonedDateTime fireTime = null;
		while ((candidate = expression.next(candidate)) != null && !candidate.isAfter(current)) {
			fireTime = candidate;
		}
		if (fireTime == null) {
			fireTime = current.withNano(0);
		}
		return fireTime.toOffsetDateTime().toString();
	}

}
