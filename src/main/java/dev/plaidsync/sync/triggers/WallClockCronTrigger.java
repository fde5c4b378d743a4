package dev.plaidsync.sync.triggers;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.TriggerContext;
import org.springframework.scheduling.support.CronExpression;

/**
 * A cron read on the wall clock of its zone: it fires once for every local time the
 * expression names, including on the days clocks change. Spring's own cron trigger skips
 * a local time that a spring-forward gap removes (02:00 on the second Sunday of March in
 * New York), so a nightly 02:00 run would not happen that day; here it fires at the first
 * instant after the gap (03:00 EDT). A local time that a fall-back repeats fires once, at
 * its first occurrence.
 */
final class WallClockCronTrigger implements Trigger {

	private final CronExpression expression;

	private final ZoneId zone;

	WallClockCronTrigger(String cron, ZoneId zone) {
		this.expression = CronExpression.parse(cron);
		this.zone = zone;
	}

	/**
	 * As Spring's cron trigger: after the last completion (or the later scheduled time),
	 * else after now.
	 */
	@Override
	public Instant nextExecution(TriggerContext context) {
		Instant after = context.lastCompletion();
		if (after != null) {
			Instant scheduled = context.lastScheduledExecution();
			if (scheduled != null && after.isBefore(scheduled)) {
				after = scheduled;
			}
		}
		else {
			after = context.getClock().instant();
		}
		return nextAfter(after);
	}

	/** The first fire strictly after {@code instant}. */
	Instant nextAfter(Instant instant) {
		LocalDateTime local = LocalDateTime.ofInstant(instant, this.zone);
		for (int guard = 0; guard < 10_000; guard++) {
			LocalDateTime next = this.expression.next(local);
			if (next == null) {
				return null;
			}
			Instant fire = ZonedDateTime.ofLocal(next, this.zone, null).toInstant();
			if (fire.isAfter(instant)) {
				return fire;
			}
			local = next;
		}
		return null;
	}

	/**
	 * The latest fire at or before {@code instant}, within a day and an hour; null if
	 * none.
	 */
	Instant latestAtOrBefore(Instant instant) {
		Instant fire = nextAfter(instant.minusSeconds(25 * 3600));
		Instant latest = null;
		while (fire != null && !fire.isAfter(instant)) {
			latest = fire;
			fire = nextAfter(fire);
		}
		return latest;
	}

}
