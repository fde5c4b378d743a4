package dev.plaidsync.sync.runtime;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the sync jobs run.
 *
 * @param chunkSize items per chunk: one transaction, and the unit a restart resumes from
 * @param fetchConcurrency Plaid calls in flight per node (the fetch pool's threads,
 * shared by running steps); the shared budget still governs
 * @param fetchAhead snapshots a running step holds, fetched or in flight, ahead of its
 * writer (at least a chunk)
 * @param concurrentJobs job executions running at once per node
 * @param holdingsMaxAge the nightly sweep skips items whose holdings were synced more
 * recently (webhooks did it)
 * @param transactionsMaxAge the daily transactions safety net skips items synced more
 * recently; shorter than its 24-hour period, or an item synced by yesterday's net would
 * still be "fresh" today and be reached every other day
 * @param routineWindow how far back a routine transactions sync reaches; late postings
 * are common
 * @param fullWindowMonths how far back a first sync, a cancellation, or the weekly
 * reconcile reaches
 * @param failureShare a job fails, to be restarted, when more than this share of its
 * items fail...
 * @param failureMinimum ...and at least this many did
 * @param holdingsGlitchMinimumBalance an account whose holdings drop to none while its
 * balance is above this keeps its rows and is retried
 * @param realTimeBalances the balances job calls /accounts/balance/get (slow, billed)
 * instead of /accounts/get
 */
@Validated
@ConfigurationProperties("plaidsync.sync")
public record SyncProperties(@Min(1) @Max(1000) @DefaultValue("50") int chunkSize,
		@Min(1) @Max(1000) @DefaultValue("64") int fetchConcurrency,
		@Min(1) @Max(10000) @DefaultValue("100") int fetchAhead, @Min(1) @DefaultValue("16") int concurrentJobs,
		@DefaultValue("20h") Duration holdingsMaxAge, @DefaultValue("20h") Duration transactionsMaxAge,
		@DefaultValue("90d") Duration routineWindow, @Min(1) @Max(24) @DefaultValue("24") int fullWindowMonths,
		@DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.2") double failureShare,
		@Min(1) @DefaultValue("20") int failureMinimum,
		@DefaultValue("1.00") java.math.BigDecimal holdingsGlitchMinimumBalance,
		@DefaultValue("false") boolean realTimeBalances, @DefaultValue("10s") Duration progressLogInterval,
		@Valid @DefaultValue Schedules schedules) {

	/**
	 * Cron expressions (Spring's six fields) on {@code zone}'s wall clock. {@code "-"}
	 * switches a schedule off.
	 *
	 * @param lockAtLeastFor a sweep's ShedLock is held at least this long, so a node
	 * whose clock lags cannot fire it again
	 * @param lockAtMostFor ...and at most this long, should its node die while holding it
	 */
	public record Schedules(@DefaultValue("America/New_York") String zone, @DefaultValue("0 0 2 * * *") String holdings,
			@DefaultValue("0 0 */6 * * *") String balances, @DefaultValue("0 0 3 * * *") String transactions,
			@DefaultValue("0 0 4 * * SUN") String reconcile, @DefaultValue("0 30 5 * * *") String itemCheck,
			@DefaultValue("PT30S") String lockAtLeastFor, @DefaultValue("PT6H") String lockAtMostFor) {
	}

}
