package dev.plaidsync.common;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How events between modules are delivered ({@code @ApplicationModuleListener}, Spring
 * Modulith's JDBC event publication registry).
 *
 * @param listenerThreads threads that run module listeners on this node
 * @param queueCapacity publications waiting for a listener thread; beyond it a
 * publication is left to resubmission
 * @param maxStartDelay a listener that has not started this long after its event was
 * committed does not start at all; its publication is resubmitted once stale. This bounds
 * how long a live node can still be about to process a publication, which is what makes
 * {@code staleAfter} safe
 * @param staleAfter an incomplete publication this old (or resubmitted this long ago) is
 * taken to belong to a node that died, and is resubmitted; longer than
 * {@code maxStartDelay} plus the slowest listener
 * @param resubmitEvery how often failed and stale publications are resubmitted (one node
 * at a time, through ShedLock)
 * @param resubmitBatch publications resubmitted at most per round, and in flight at most
 * from resubmission
 * @param keepCompleted completed publications are kept this long for operators, then
 * purged
 * @param purgeEvery how often completed publications are purged (one node at a time)
 */
@Validated
@ConfigurationProperties("plaidsync.events")
record ModuleEventsProperties(@Min(1) @Max(256) @DefaultValue("4") int listenerThreads,
		@Min(1) @DefaultValue("10000") int queueCapacity, @DefaultValue("1m") Duration maxStartDelay,
		@DefaultValue("10m") Duration staleAfter, @DefaultValue("30s") Duration resubmitEvery,
		@Min(1) @Max(10000) @DefaultValue("100") int resubmitBatch, @DefaultValue("1h") Duration keepCompleted,
		@DefaultValue("10m") Duration purgeEvery) {

	@AssertTrue(message = "plaidsync.events.stale-after must be at least twice plaidsync.events.max-start-delay, "
			+ "or a live node's publication could be resubmitted while it runs")
	boolean isStaleAfterSafe() {
		return this.staleAfter.compareTo(this.maxStartDelay.multipliedBy(2)) >= 0;
	}

}
