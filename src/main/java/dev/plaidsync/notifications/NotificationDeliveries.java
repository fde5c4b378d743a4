package dev.plaidsync.notifications;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.plaidsync.common.Page;
import dev.plaidsync.common.PageRequest;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outgoing events and their deliveries, for operators: lists by user and delivery
 * state, each event's attempts, and replays. A replayed event is PENDING again, with the
 * same message id (receivers that already took it de-duplicate on it), and goes out at
 * the user's next attempt, before the user's later pending events.
 */
@Component
public class NotificationDeliveries {

	/** The delivery states an operator can filter by. */
	public static final Set<String> STATES = Set.of("PENDING", "DELIVERED", "FAILED", "NO_ENDPOINT");

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final DeliveryTarget target;

	private final DeliverySignal signal;

	NotificationDeliveries(JdbcClient jdbc, PlatformTransactionManager transactionManager, DeliveryTarget target,
			DeliverySignal signal) {
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		this.target = target;
		this.signal = signal;
	}

	/** Whether an endpoint is configured: without one, nothing can be replayed. */
	public boolean endpointConfigured() {
		return this.target.configured();
	}

	/**
	 * Events newest first, with their last attempt; {@code userId} and {@code state}
	 * narrow the list when given.
	 */
	public Page<EventDelivery> events(@Nullable UUID userId, @Nullable String state, PageRequest page) {
		String where = """
				WHERE (CAST(:userId AS uuid) IS NULL OR e.user_id = CAST(:userId AS uuid))
				  AND (CAST(:state AS text) IS NULL OR e.delivery = CAST(:state AS text))
				""";
		List<EventDelivery> events = this.jdbc.sql("""
				SELECT e.id, e.user_id, e.seq, e.type, e.occurred_at, e.message_id, e.delivery, e.attempts,
				       e.first_attempt_at, e.last_attempt_at, e.delivered_at, d.http_status AS last_http_status,
				       d.error AS last_error, d.latency_ms AS last_latency_ms
				FROM notification_events e
				LEFT JOIN LATERAL (SELECT http_status, error, latency_ms FROM notification_deliveries
				    WHERE event_id = e.id ORDER BY attempt DESC LIMIT 1) d ON true
				""" + where + """
				ORDER BY e.occurred_at DESC, e.id DESC LIMIT :limit OFFSET :offset
				""")
			.param("userId", userId)
			.param("state", state)
			.param("limit", page.size())
			.param("offset", page.offset())
			.query(EventDelivery.class)
			.list();
		long counted = this.jdbc
			.sql("SELECT count(*) FROM (SELECT 1 FROM notification_events e " + where + " LIMIT :cap) AS matching")
			.param("userId", userId)
			.param("state", state)
			.param("cap", Page.COUNT_LIMIT)
			.query(Long.class)
			.single();
		return Page.of(events, counted);
	}

	/** Every attempt to deliver one event, the first first; empty when no such event. */
	public Optional<List<Attempt>> attempts(long eventId) {
		boolean exists = this.jdbc.sql("SELECT count(*) FROM notification_events WHERE id = :id")
			.param("id", eventId)
			.query(Long.class)
			.single() > 0;
		if (!exists) {
			return Optional.empty();
		}
		return Optional.of(this.jdbc.sql("""
				SELECT attempt, endpoint, http_status, error, latency_ms, attempted_at FROM notification_deliveries
				WHERE event_id = :id ORDER BY attempt
				""").param("id", eventId).query(Attempt.class).list());
	}

	/**
	 * Delivers one event again, whatever its state: PENDING, its attempts counted afresh
	 * toward giving up.
	 * @return false when no such event exists
	 */
	public boolean replay(long eventId) {
		boolean replayed = this.transaction.execute((status) -> {
			Optional<UUID> user = this.jdbc.sql("SELECT user_id FROM notification_events WHERE id = :id")
				.param("id", eventId)
				.query(UUID.class)
				.optional();
			user.ifPresent((owner) -> {
				lockUser(owner);
				this.jdbc
					.sql("""
							UPDATE notification_events SET delivery = 'PENDING', first_attempt_at = NULL, delivered_at = NULL
							WHERE id = :id
							""")
					.param("id", eventId)
					.update();
				dueNow(owner);
			});
			return user.isPresent();
		});
		this.signal.poke();
		return replayed;
	}

	/**
	 * Delivers again every event given up (FAILED) that occurred at or after
	 * {@code since}, each user's in their order.
	 * @return how many events were replayed
	 */
	public int replayFailedSince(OffsetDateTime since) {
		int replayed = this.transaction.execute((status) -> {
			List<UUID> users = this.jdbc.sql("""
					SELECT DISTINCT user_id FROM notification_events WHERE delivery = 'FAILED' AND occurred_at >= :since
					ORDER BY user_id
					""").param("since", since).query(UUID.class).list();
			int count = 0;
			for (UUID user : users) {
				lockUser(user);
				count += this.jdbc.sql("""
						UPDATE notification_events SET delivery = 'PENDING', first_attempt_at = NULL
						WHERE user_id = :userId AND delivery = 'FAILED' AND occurred_at >= :since
						""").param("userId", user).param("since", since).update();
				dueNow(user);
			}
			return count;
		});
		this.signal.poke();
		return replayed;
	}

	private void lockUser(UUID userId) {
		this.jdbc.sql("SELECT user_id FROM notification_users WHERE user_id = :userId FOR UPDATE")
			.param("userId", userId)
			.query(UUID.class)
			.optional();
	}

	private void dueNow(UUID userId) {
		// a user whose delivery is in flight or waiting for a retry keeps that time: one
		// delivery per user at a time, in order
		this.jdbc
			.sql("UPDATE notification_users SET due_at = coalesce(due_at, clock_timestamp()) WHERE user_id = :userId")
			.param("userId", userId)
			.update();
	}

	/** One event and where its delivery stands. */
	public record EventDelivery(long id, UUID userId, long seq, String type, OffsetDateTime occurredAt,
			String messageId, String delivery, int attempts, @Nullable OffsetDateTime firstAttemptAt,
			@Nullable OffsetDateTime lastAttemptAt, @Nullable OffsetDateTime deliveredAt,
			@Nullable Integer lastHttpStatus, @Nullable String lastError, @Nullable Long lastLatencyMs) {
	}

	/** One delivery attempt. */
	public record Attempt(int attempt, String endpoint, @Nullable Integer httpStatus, @Nullable String error,
			long latencyMs, OffsetDateTime attemptedAt) {
	}

}
