package dev.plaidsync.sync.runtime;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How sync recovers from a bad day.
 *
 * @param retryDelays after an item's sync fails for a transient reason (its institution
 * down or rate-limiting, Plaid's errors), follow-up runs of just that item wait these
 * delays, one per attempt; once they are used up, the next sweep retries it
 * @param retryCheckInterval how often due retries are launched (one node, through
 * ShedLock)
 * @param transactionsShrinkShare a transactions window that loses more than this share of
 * the stored rows in it (or all of them) deletes nothing until a second fetch returns the
 * same
 * @param itemCheckConcurrency /item/get calls in flight at once in the daily item check
 * (the shared budget still governs)
 * @param itemCheckPageSize items the daily item check reads at a time; it pages through
 * all of them
 */
@Validated
@ConfigurationProperties("plaidsync.sync.recovery")
public record SyncRecoveryProperties(@NotNull @DefaultValue( {
		"15m", "1h" }) List<Duration> retryDelays, @DefaultValue("30s") Duration retryCheckInterval,
		@DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.5") double transactionsShrinkShare,
		@Min(1) @Max(256) @DefaultValue("16") int itemCheckConcurrency,
		@Min(1) @Max(100000) @DefaultValue("1000") int itemCheckPageSize){

	public Long[] retryDelayMillis() {
		return this.retryDelays.stream().map(Duration::toMillis).toArray(Long[]::new);
	}

}
