package dev.plaidsync.sync.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.sync.runtime.SyncProperties;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** A sweep's scope skips what it should, with the defaults the schedules run with. */
class RunScopeTests {

	@Test
	void theDailyTransactionsSafetyNetSkipsLessThanItsPeriodSoYesterdaysItemsAreDueToday() {
		SyncProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
			.bindOrCreate("plaidsync.sync", SyncProperties.class);
		Duration period = Duration.ofDays(1);
		assertThat(defaults.transactionsMaxAge()).isLessThan(period);
		Instant yesterdaysRun = ZonedDateTime.of(2026, 6, 1, 3, 0, 0, 0, ZoneId.of("America/New_York")).toInstant();
		Instant itemSynced = yesterdaysRun.plusSeconds(40 * 60);
		Instant todaysRun = yesterdaysRun.plus(period);
		SyncItemReaders.RunScope scope = new SyncItemReaders.RunScope(SyncScope.all(),
				defaults.transactionsMaxAge().toSeconds(), todaysRun);
		Instant freshSince = ((OffsetDateTime) scope.parameterValues().get("freshSince")).toInstant();
		assertThat(itemSynced).as("an item the net synced 40 minutes into yesterday's run is due today")
			.isBefore(freshSince);
	}

}
