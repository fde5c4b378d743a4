package dev.plaidsync.sync;

import java.time.ZoneId;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The daily holdings history.
 *
 * @param marketZone the zone whose calendar dates a snapshot without prices; US and
 * Canadian exchanges both close in New York's zone
 * @param partitionsAhead months of partitions kept created ahead of today
 * @param staleAfterDays an account's value carried forward from a snapshot more than this
 * many days before the day it is shown on is marked stale (3: Friday's close on Monday is
 * not)
 */
@Validated
@ConfigurationProperties("plaidsync.history")
public record HistoryProperties(@DefaultValue("America/New_York") ZoneId marketZone,
		@Min(1) @Max(24) @DefaultValue("3") int partitionsAhead,
		@Min(0) @Max(366) @DefaultValue("3") int staleAfterDays) {
}
