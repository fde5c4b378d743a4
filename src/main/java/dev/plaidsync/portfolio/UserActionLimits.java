package dev.plaidsync.portfolio;

import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;

import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Per-user limits on what costs Plaid calls and rows: link-token creation and public-token exchange. Counted in
 * PostgreSQL (keys {@code link-token:<user id>} and {@code exchange:<user id>} of {@code plaid}'s shared bucket table,
 * through the view {@code user_action_buckets} it exports for them), like the
 * force-sync limit, so they hold across every replica. Over the limit: 429 with {@code Retry-After}.
 */
@Component
class UserActionLimits {

	enum Action {

		LINK_TOKEN("link-token", "link tokens"), EXCHANGE("exchange", "public-token exchanges");

		private final String key;

		private final String what;

		Action(String key, String what) {
			this.key = key;
			this.what = what;
		}

	}

	private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

	private final UserApiLimitsProperties properties;

	UserActionLimits(DataSource dataSource, UserApiLimitsProperties properties) {
		this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table("user_action_buckets")
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
			.build();
		this.properties = properties;
	}

	/** Counts one {@code action} for the user, or refuses it with 429 and how long to wait. */
	void consume(UUID userId, Action action) {
		UserApiLimitsProperties.Rate rate = (action == Action.LINK_TOKEN) ? this.properties.linkTokens()
				: this.properties.exchanges();
		BucketConfiguration configuration = BucketConfiguration.builder()
			.addLimit((limit) -> limit.capacity(rate.capacity()).refillGreedy(rate.capacity(), rate.period()))
			.build();
		ConsumptionProbe probe = this.buckets.builder()
			.build(action.key + ":" + userId, () -> configuration)
			.tryConsumeAndReturnRemaining(1);
		if (!probe.isConsumed()) {
			long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
			throw new RetryLater(HttpStatus.TOO_MANY_REQUESTS, "too_many_requests",
					"You asked for " + rate.capacity() + " " + action.what + " within " + rate.period().toMinutes()
							+ " minutes, the most one user may; try again in " + seconds + " s.",
					seconds);
		}
	}

	@Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT10M")
	void removeExpired() {
		this.buckets.removeExpired(1000);
	}

	/** A refusal that says when to come back ({@code Retry-After}, in seconds). */
	static final class RetryLater extends ApiException {

		private final long retryAfterSeconds;

		RetryLater(HttpStatus status, String error, String message, long retryAfterSeconds) {
			super(status, error, message, ApiError.Details.retryAfter(retryAfterSeconds));
			this.retryAfterSeconds = retryAfterSeconds;
		}

		long retryAfterSeconds() {
			return this.retryAfterSeconds;
		}

	}

}
