package dev.plaidsync.notifications;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

import dev.plaidsync.common.UserScopedSession;

import org.springframework.stereotype.Component;

/**
 * A user's event sequence as the user reads it (under row-level security, in the
 * user-scoped session): what the stream replays after a {@code Last-Event-ID} and sends
 * live. Every committed event is announced on the PostgreSQL channel {@link #CHANNEL}
 * with the user id as payload, on every replica.
 */
@Component
public class UserEventLog {

	/** The channel that carries "this user has new events" between replicas. */
	public static final String CHANNEL = "plaidsync_events";

	private final UserScopedSession session;

	private final JsonMapper json;

	UserEventLog(UserScopedSession session, JsonMapper json) {
		this.session = session;
		this.json = json;
	}

	/**
	 * One event: its place in the user's sequence, its type, when it happened, and
	 * {@code document}, the JSON the outgoing webhook sends ({@code {"type", "timestamp",
	 * "data"}}).
	 */
	public record UserEvent(long seq, String type, OffsetDateTime occurredAt, String document) {
	}

	/** The user's latest event's seq; 0 when the user has none. */
	public long head(UUID userId) {
		return this.session.read(userId,
				(jdbc) -> jdbc.sql("SELECT coalesce(max(seq), 0) FROM notification_events WHERE user_id = :userId")
					.param("userId", userId)
					.query(Long.class)
					.single());
	}

	/** When the user's event {@code seq} happened, if it is still kept. */
	public Optional<OffsetDateTime> occurredAt(UUID userId, long seq) {
		return this.session.read(userId,
				(jdbc) -> jdbc.sql("SELECT occurred_at FROM notification_events WHERE user_id = :userId AND seq = :seq")
					.param("userId", userId)
					.param("seq", seq)
					.query(OffsetDateTime.class)
					.optional());
	}

	/** The user's events after {@code seq}, oldest first, at most {@code limit}. */
	public List<UserEvent> after(UUID userId, long seq, int limit) {
		return this.session.read(userId, (jdbc) -> jdbc.sql("""
				SELECT seq, type, occurred_at, data::text AS data FROM notification_events
				WHERE user_id = :userId AND seq > :seq ORDER BY seq LIMIT :limit
				""").param("userId", userId).param("seq", seq).param("limit", limit).query((row, n) -> {
			String type = row.getString("type");
			OffsetDateTime at = row.getObject("occurred_at", OffsetDateTime.class);
			return new UserEvent(row.getLong("seq"), type, at,
					EventDocument.of(this.json, type, at, row.getString("data")));
		}).list());
	}

}
