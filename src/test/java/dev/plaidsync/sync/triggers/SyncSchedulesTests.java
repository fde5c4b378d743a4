package dev.plaidsync.sync.triggers;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import org.springframework.scheduling.support.CronExpression;
import org.springframework.scheduling.support.SimpleTriggerContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The schedules do what they say, on a fixed clock. */
class SyncSchedulesTests {

	private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

	@Test
	void theNightlyHoldingsRunFiresExactlyOnceOnBothDaysTheClocksChange() {
		Map<LocalDate, List<ZonedDateTime>> spring = firesPerDay("2026-03-06", "2026-03-11");
		assertThat(spring).hasSize(5).allSatisfy((day, fires) -> assertThat(fires).as(day.toString()).hasSize(1));
		assertThat(spring.get(LocalDate.parse("2026-03-08")).get(0).toOffsetDateTime().toString())
			.isEqualTo("2026-03-08T03:00-04:00");
		assertThat(spring.get(LocalDate.parse("2026-03-09")).get(0).toOffsetDateTime().toString())
			.isEqualTo("2026-03-09T02:00-04:00");

		Map<LocalDate, List<ZonedDateTime>> fall = firesPerDay("2026-10-30", "2026-11-04");
		assertThat(fall).hasSize(5).allSatisfy((day, fires) -> assertThat(fires).as(day.toString()).hasSize(1));
		assertThat(fall.get(LocalDate.parse("2026-11-01")).get(0).toOffsetDateTime().toString())
			.isEqualTo("2026-11-01T02:00-05:00");
	}

	@Test
	void springsOwnCronSkipsTheSpringForwardDaySoTheScheduleCannotUseIt() {
		CronExpression cron = CronExpression.parse("0 0 2 * * *");
		ZonedDateTime next = cron.next(ZonedDateTime.of(2026, 3, 7, 12, 0, 0, 0, NEW_YORK));
		assertThat(next.toLocalDate()).isEqualTo(LocalDate.parse("2026-03-09"));
	}

	@Test
	void eachFireHasItsOwnSlotAndALateFireStillNamesItsOwn() {
		String cron = "0 0 2 * * *";
		ZonedDateTime gapDay = ZonedDateTime.of(2026, 3, 8, 3, 0, 5, 0, NEW_YORK);
		ZonedDateTime dayBefore = ZonedDateTime.of(2026, 3, 7, 2, 0, 1, 0, NEW_YORK);
		assertThat(ScheduleSlots.slot(cron, NEW_YORK, gapDay)).isEqualTo("2026-03-08T03:00-04:00");
		assertThat(ScheduleSlots.slot(cron, NEW_YORK, dayBefore)).isEqualTo("2026-03-07T02:00-05:00");
		assertThat(ScheduleSlots.slot(cron, NEW_YORK, ZonedDateTime.of(2026, 11, 1, 2, 30, 0, 0, NEW_YORK)))
			.isEqualTo("2026-11-01T02:00-05:00");
		assertThat(ScheduleSlots.slot("0 30 1 * * *", NEW_YORK,
				ZonedDateTime.of(2026, 11, 1, 1, 45, 0, 0, ZoneId.of("-05:00")).withZoneSameInstant(NEW_YORK)))
			.as("01:30 repeats when the clocks fall back; the second pass belongs to the first one's slot")
			.isEqualTo("2026-11-01T01:30-04:00");
	}

	@Test
	void theRepeatedHourOfAFallBackFiresACronInItOnce() {
		WallClockCronTrigger trigger = new WallClockCronTrigger("0 30 1 * * *", NEW_YORK);
		List<Instant> fires = fires(trigger, ZonedDateTime.of(2026, 10, 31, 12, 0, 0, 0, NEW_YORK).toInstant(),
				ZonedDateTime.of(2026, 11, 2, 12, 0, 0, 0, NEW_YORK).toInstant());
		assertThat(fires).extracting((fire) -> fire.atZone(NEW_YORK).toOffsetDateTime().toString())
			.containsExactly("2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00");
	}

	private static Map<LocalDate, List<ZonedDateTime>> firesPerDay(String from, String to) {
		WallClockCronTrigger trigger = new WallClockCronTrigger("0 0 2 * * *", NEW_YORK);
		Map<LocalDate, List<ZonedDateTime>> perDay = new TreeMap<>();
		for (LocalDate day = LocalDate.parse(from); day.isBefore(LocalDate.parse(to)); day = day.plusDays(1)) {
			perDay.put(day, new ArrayList<>());
		}
		Instant start = LocalDate.parse(from).atStartOfDay(NEW_YORK).toInstant();
		Instant end = LocalDate.parse(to).atStartOfDay(NEW_YORK).toInstant();
		for (Instant fire : fires(trigger, start, end)) {
			perDay.get(fire.atZone(NEW_YORK).toLocalDate()).add(fire.atZone(NEW_YORK));
		}
		return perDay;
	}

	/** Drives the trigger as the scheduler does, with a fixed clock at each fire. */
	private static List<Instant> fires(WallClockCronTrigger trigger, Instant start, Instant end) {
		List<Instant> fires = new ArrayList<>();
		SimpleTriggerContext context = new SimpleTriggerContext(Clock.fixed(start, NEW_YORK));
		Instant next;
		while ((next = trigger.nextExecution(context)) != null && next.isBefore(end)) {
			fires.add(next);
			context = new SimpleTriggerContext(Clock.fixed(next.plusMillis(50), NEW_YORK));
			context.update(next, next, next.plusMillis(50));
		}
		return fires;
	}

}
