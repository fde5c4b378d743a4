package dev.plaidsync.portfolio;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * One force-sync per user per {@code plaidsync.api.force-sync.min-interval}, counted in PostgreSQL
 * (keys {@code force-sync:<user id>} of {@code plaid}'s shared bucket table, through the view {@code user_action_buckets}
 * it exports for them), so the limit holds across every replica: Plaid's
 * budget is shared. Rows expire once their bucket is full again, and are swept every ten minutes.
 */
@Component
class ForceSyncLimiter {

	private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

	private final BucketConfiguration configuration;

	ForceSyncLimiter(DataSource dataSource, UserApiProperties properties) {
		this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table("user_action_buckets")
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
			.build();
		Duration interval = properties.forceSync().minInterval();
		this.configuration = BucketConfiguration.builder()
			.addLimit((limit) -> limit.capacity(1).refillIntervally(1, interval))
			.build();
	}

	/** Empty when the user may force a sync now; otherwise how many seconds until they may. */
	OptionalLong secondsUntilAllowed(UUID userId) {
		ConsumptionProbe probe = this.buckets.builder()
			.build("force-sync:" + userId, () -> this.configuration)
			.tryConsumeAndReturnRemaining(1);
		if (probe.isConsumed()) {
			return OptionalLong.empty();
		}
		return OptionalLong.of(Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L));
	}

	@Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT10M")
	void removeExpired() {
		this.buckets.removeExpired(1000);
	}

}
