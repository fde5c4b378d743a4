package dev.plaidsync.portfolio;

import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;

import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Per-user limits on every state-changing action of the user API, counted in PostgreSQL
 * (keys {@code <action>:<user>} of {@code plaid}'s shared bucket table, through the view
 * {@code user_action_buckets} it exports for them) by one bucket proxy, so they hold
 * across every replica. Over a limit: 429 with {@code Retry-After} and
 * {@code retry_after_seconds}. Rows expire once their bucket is full again, and are swept
 * every ten minutes.
 */
@Component
class UserActionLimits {

	/** What a user may do how often; {@code key} prefixes the bucket's row. */
	enum Action {

		/**
		 * A sync asked for now: force-sync, and a reconnection that syncs the repaired
		 * item.
		 */
		SYNC("force-sync"),
		/** New and update-mode link tokens. */
		LINK_TOKEN("link-token"),
		/** Public-token exchanges (linking an item). */
		EXCHANGE("exchange"),
		/**
		 * Checks with Plaid that a repair took ({@code reconnected}), whether or not it
		 * did.
		 */
		RECONNECT("reconnect"),
		/** Removing an item, or the user with everything they linked. */
		REMOVAL("removal"),
		/** Tickets that open the event stream from a browser. */
		STREAM_TICKET("stream-ticket");

		private final String key;

		Action(String key) {
			this.key = key;
		}

	}

	private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

	private final UserApiLimitsProperties limits;

	private final Duration syncInterval;

	UserActionLimits(DataSource dataSource, UserApiLimitsProperties limits, UserApiProperties properties) {
		this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table("user_action_buckets")
			.expirationAfterWrite(
					ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
			.build();
		this.limits = limits;
		this.syncInterval = properties.forceSync().minInterval();
	}

	/**
	 * Counts one {@code action} for the user, or refuses it with 429 and how long to
	 * wait.
	 * @param user the engine's user id, or (for an action that removes the user) the
	 * token's subject, which outlives the id
	 */
	void consume(Object user, Action action) {
		ConsumptionProbe probe = bucket(user, action).tryConsumeAndReturnRemaining(1);
		if (!probe.isConsumed()) {
			long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
			throw new RetryLater(HttpStatus.TOO_MANY_REQUESTS, refusal(action), message(action, seconds), seconds);
		}
	}

	/**
	 * Gives back what {@link #consume} counted, for an action that turned out to do
	 * nothing it limits.
	 */
	void refund(UUID userId, Action action) {
		bucket(userId, action).addTokens(1);
	}

	private BucketProxy bucket(Object user, Action action) {
		return this.buckets.builder().build(action.key + ":" + user, () -> configuration(action));
	}

	private BucketConfiguration configuration(Action action) {
		if (action == Action.SYNC) {
			return BucketConfiguration.builder()
				.addLimit((limit) -> limit.capacity(1).refillIntervally(1, this.syncInterval))
				.build();
		}
		UserApiLimitsProperties.Rate rate = rate(action);
		return BucketConfiguration.builder()
			.addLimit((limit) -> limit.capacity(rate.capacity()).refillGreedy(rate.capacity(), rate.period()))
			.build();
	}

	private UserApiLimitsProperties.Rate rate(Action action) {
		return switch (action) {
			case LINK_TOKEN -> this.limits.linkTokens();
			case EXCHANGE -> this.limits.exchanges();
			case RECONNECT -> this.limits.reconnections();
			case REMOVAL -> this.limits.removals();
			case STREAM_TICKET -> this.limits.streamTickets();
			case SYNC -> throw new IllegalArgumentException("a sync is limited by its interval");
		};
	}

	private static String refusal(Action action) {
		return (action == Action.SYNC) ? "too_many_force_syncs" : "too_many_requests";
	}

	private String message(Action action, long seconds) {
		if (action == Action.SYNC) {
			return "You asked for a sync moments ago (a force-sync or a reconnection); Plaid's budget is shared, "
					+ "so try again in " + seconds + " s. Your portfolio updates by itself when Plaid reports changes.";
		}
		UserApiLimitsProperties.Rate rate = rate(action);
		String what = switch (action) {
			case LINK_TOKEN -> "link tokens";
			case EXCHANGE -> "public-token exchanges";
			case RECONNECT -> "reconnection checks";
			case STREAM_TICKET -> "stream tickets";
			default -> "removals";
		};
		return "You asked for " + rate.capacity() + " " + what + " within " + rate.period().toMinutes()
				+ " minutes, the most one user may; try again in " + seconds + " s.";
	}

	@Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT10M")
	void removeExpired() {
		this.buckets.removeExpired(1000);
	}

	/**
	 * A refusal that says when to come back ({@code Retry-After} and
	 * {@code retry_after_seconds}).
	 */
	static final class RetryLater extends ApiException {

		RetryLater(HttpStatus status, String error, String message, long retryAfterSeconds) {
			super(status, error, message);
			with("retry_after_seconds", retryAfterSeconds);
		}

	}

}
