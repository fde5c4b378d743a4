package dev.plaidsync.notifications;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The delivery worker's side of the outbox, each step a short transaction of its own and
 * none held during an HTTP call. A claim takes a user whose oldest pending event is due
 * ({@code FOR UPDATE SKIP LOCKED}, so replicas share users) and pushes the user's
 * {@code due_at} past the call (a lease: a node that dies mid-call leaves the event to be
 * claimed again once it runs out, so delivery is at least once). Only a user's oldest
 * pending event is ever claimed, so a user's events go out in order. A result is recorded
 * under the user's row lock, which a writer of that user holds until it commits: so the
 * next look for pending events sees every committed one, and none is stranded.
 */
@Component
class DeliveryQueue {

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final NotificationProperties.Webhook settings;

	DeliveryQueue(JdbcClient jdbc, PlatformTransactionManager transactionManager, NotificationProperties properties) {
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		this.settings = properties.webhook();
	}

	/** Claims up to {@code limit} users whose oldest pending event is due. */
	List<Claim> claim(int limit) {
		return this.transaction.execute((status) -> {
			List<UUID> users = this.jdbc.sql("""
					SELECT user_id FROM notification_users WHERE due_at <= clock_timestamp()
					ORDER BY due_at LIMIT :limit FOR UPDATE SKIP LOCKED
					""").param("limit", limit).query(UUID.class).list();
			List<Claim> claims = new ArrayList<>();
			for (UUID user : users) {
				head(user).ifPresent(claims::add);
			}
			return claims;
		});
	}

	/** Claims this user again when their next event is due at once. */
	Optional<Claim> claimAgain(UUID userId) {
		return this.transaction.execute((status) -> {
			Optional<UUID> user = this.jdbc.sql("""
					SELECT user_id FROM notification_users WHERE user_id = :userId AND due_at <= clock_timestamp()
					FOR UPDATE SKIP LOCKED
					""").param("userId", userId).query(UUID.class).optional();
			return user.flatMap(this::head);
		});
	}

	private Optional<Claim> head(UUID userId) {
		Optional<Claim> head = this.jdbc.sql("""
				SELECT id, user_id, seq, type, occurred_at, data::text AS data, message_id
				FROM notification_events WHERE user_id = :userId AND delivery = 'PENDING' ORDER BY seq LIMIT 1
				""").param("userId", userId).query(Claim.class).optional();
		this.jdbc.sql("""
				UPDATE notification_users SET due_at = CASE WHEN CAST(:pending AS boolean)
				    THEN clock_timestamp() + make_interval(secs => :lease) END
				WHERE user_id = :userId
				""")
			.param("userId", userId)
			.param("pending", head.isPresent())
			.param("lease", (double) this.settings.lease().toMillis() / 1000)
			.update();
		return head;
	}

	/**
	 * Records one attempt and settles the event: DELIVERED on a 2xx; else retried with
	 * exponential backoff and jitter, or FAILED once its first attempt is older than
	 * {@code give-up-after}. The user's next event is due at once unless this one waits
	 * for a retry.
	 * @return the event's delivery state, or empty when it is gone (its user was deleted
	 * meanwhile)
	 */
	Optional<String> record(Claim claim, String endpoint, Attempt attempt) {
		return this.transaction.execute((status) -> {
			this.jdbc.sql("SELECT user_id FROM notification_users WHERE user_id = :userId FOR UPDATE")
				.param("userId", claim.userId())
				.query(UUID.class)
				.optional();
			Optional<Settled> settled = this.jdbc.sql("""
					UPDATE notification_events SET attempts = attempts + 1, last_attempt_at = :at,
					    first_attempt_at = coalesce(first_attempt_at, :at),
					    delivered_at = CASE WHEN CAST(:ok AS boolean) THEN :at END,
					    delivery = CASE WHEN CAST(:ok AS boolean) THEN 'DELIVERED'
					        WHEN coalesce(first_attempt_at, :at) <= :at - make_interval(secs => :giveUp) THEN 'FAILED'
					        ELSE 'PENDING' END
					WHERE id = :id AND delivery = 'PENDING'
					RETURNING delivery, attempts
					""")
				.param("id", claim.id())
				.param("at", attempt.at())
				.param("ok", attempt.succeeded())
				.param("giveUp", (double) this.settings.giveUpAfter().toSeconds())
				.query(Settled.class)
				.optional();
			settled.ifPresent((done) -> this.jdbc
				.sql("""
						INSERT INTO notification_deliveries (event_id, attempt, endpoint, http_status, error, latency_ms, attempted_at)
						VALUES (:id, :attempt, :endpoint, :status, :error, :latency, :at)
						""")
				.param("id", claim.id())
				.param("attempt", done.attempts())
				.param("endpoint", endpoint)
				.param("status", attempt.httpStatus())
				.param("error", attempt.error())
				.param("latency", attempt.latency().toMillis())
				.param("at", attempt.at())
				.update());
			boolean retry = settled.map((done) -> done.delivery().equals("PENDING")).orElse(false);
			if (retry) {
				this.jdbc.sql("""
						UPDATE notification_users SET due_at = clock_timestamp() + make_interval(secs => :delay)
						WHERE user_id = :userId
						""")
					.param("userId", claim.userId())
					.param("delay", (double) backoff(settled.get().attempts()).toMillis() / 1000)
					.update();
			}
			else {
				nextDue(claim.userId());
			}
			return settled.map(Settled::delivery);
		});
	}

	/**
	 * The user's next look: now if anything is pending, else none. Run under the user's
	 * row lock.
	 */
	void nextDue(UUID userId) {
		this.jdbc.sql("""
				UPDATE notification_users SET due_at = CASE WHEN EXISTS (SELECT 1 FROM notification_events
				        WHERE user_id = :userId AND delivery = 'PENDING') THEN clock_timestamp() END
				WHERE user_id = :userId
				""").param("userId", userId).update();
	}

	/**
	 * The delay before the next attempt: {@code initial-delay} doubled per attempt made,
	 * up to {@code max-delay}, then spread by ±25% so that retries of many users do not
	 * arrive together.
	 */
	Duration backoff(int attemptsMade) {
		long initial = this.settings.initialDelay().toMillis();
		long max = this.settings.maxDelay().toMillis();
		int doublings = Math.min(Math.max(attemptsMade - 1, 0), 40);
		double delay = Math.min((double) max, initial * Math.pow(2, doublings));
		double jittered = delay * (0.75 + 0.5 * ThreadLocalRandom.current().nextDouble());
		return Duration.ofMillis(Math.max(1, Math.round(Math.min(jittered, max))));
	}

	/** The oldest pending event of a user, claimed for one attempt. */
	record Claim(long id, UUID userId, long seq, String type, OffsetDateTime occurredAt, String data,
			String messageId) {
	}

	/**
	 * One attempt: the HTTP status when the endpoint answered, else the error (timeout,
	 * refused connection).
	 */
	record Attempt(OffsetDateTime at, @Nullable Integer httpStatus, @Nullable String error, Duration latency) {

		boolean succeeded() {
			return this.httpStatus != null && this.httpStatus >= 200 && this.httpStatus < 300;
		}

	}

	private record Settled(String delivery, int attempts) {
	}

}
