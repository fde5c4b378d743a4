package dev.plaidsync.webhooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.plaidsync.common.Page;
import dev.plaidsync.common.PageRequest;
import dev.plaidsync.common.UserScopedSession;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The webhook event log, read: a user's own events (through row-level security), the
 * events for items this engine does not know, and the processing health by type and code.
 * Pages are zero-based, newest first. Read-only and thread-safe.
 */
@Component
public class WebhookEvents {

	private static final String COLUMNS = """
			id, webhook_type, webhook_code, item_id, user_id, status, status_reason, success, error_message,
			job_execution_id, created_at, processed_at, processing_duration_ms""";

	private final JdbcClient jdbc;

	private final UserScopedSession userScope;

	private final String healthQuery;

	WebhookEvents(JdbcClient jdbc, UserScopedSession userScope) {
		this.jdbc = jdbc;
		this.userScope = userScope;
		this.healthQuery = read("sql/monitoring/webhook_health.sql");
	}

	/** The user's own events, as that user: row-level security shows no one else's. */
	public List<WebhookEvent> forUser(UUID userId, int page, int size) {
		return this.userScope.read(userId,
				(jdbc) -> jdbc.sql("SELECT " + COLUMNS + """
						 FROM plaid_webhook_events WHERE user_id = :userId
						ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset
						""")
					.param("userId", userId)
					.param("limit", pageSize(size))
					.param("offset", offset(page, size))
					.query(WebhookEvents::event)
					.list());
	}

	/**
	 * For operators: events naming an item no user has linked here (a leftover webhook
	 * URL, or a forged item id), newest first, with how many there are (capped count;
	 * both walk {@code idx_webhook_events_status_created}).
	 */
	public Page<WebhookEvent> unknownItems(PageRequest request) {
		return recent("UNKNOWN_ITEM", request);
	}

	/**
	 * For operators: events waiting to be dispatched again after a passing failure, the
	 * soonest first.
	 */
	public Page<WebhookRetry> retrying(PageRequest request) {
		List<WebhookRetry> events = this.jdbc.sql("""
				SELECT id, webhook_type, webhook_code, item_id, retries, status_reason, next_attempt_at, error_message,
				    job_execution_id, created_at
				FROM plaid_webhook_events WHERE status = 'RECEIVED' AND next_attempt_at IS NOT NULL
				ORDER BY next_attempt_at, id LIMIT :limit OFFSET :offset
				""")
			.param("limit", request.size())
			.param("offset", request.offset())
			.query((row, number) -> new WebhookRetry(row.getObject("id", UUID.class), row.getString("webhook_type"),
					row.getString("webhook_code"), row.getString("item_id"), row.getInt("retries"),
					row.getString("status_reason"), row.getObject("next_attempt_at", OffsetDateTime.class),
					row.getString("error_message"), (Long) row.getObject("job_execution_id"),
					row.getObject("created_at", OffsetDateTime.class)))
			.list();
		long counted = this.jdbc.sql("""
				SELECT count(*) FROM (SELECT 1 FROM plaid_webhook_events
				    WHERE status = 'RECEIVED' AND next_attempt_at IS NOT NULL LIMIT :cap) AS matching
				""").param("cap", Page.COUNT_LIMIT).query(Long.class).single();
		return Page.of(events, counted);
	}

	/**
	 * For operators: the newest events, of one status when {@code status} is not null
	 * (RECEIVED, LAUNCHED, DONE, FAILED, IGNORED or UNKNOWN_ITEM), with how many match
	 * (capped count).
	 */
	public Page<WebhookEvent> recent(String status, PageRequest request) {
		String newest = (status != null)
				? " FROM plaid_webhook_events WHERE status = :status ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset"
				: " FROM plaid_webhook_events ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset";
		var reading = this.jdbc.sql("SELECT " + COLUMNS + newest);
		if (status != null) {
			reading = reading.param("status", status);
		}
		List<WebhookEvent> events = reading.param("limit", request.size())
			.param("offset", request.offset())
			.query(WebhookEvents::event)
			.list();
		String count = (status != null)
				? "SELECT count(*) FROM (SELECT 1 FROM plaid_webhook_events WHERE status = :status LIMIT :cap) AS matching"
				: "SELECT count(*) FROM (SELECT 1 FROM plaid_webhook_events LIMIT :cap) AS matching";
		var counting = this.jdbc.sql(count).param("cap", Page.COUNT_LIMIT);
		if (status != null) {
			counting = counting.param("status", status);
		}
		return Page.of(events, counting.query(Long.class).single());
	}

	/** For operators: one event. */
	public Optional<WebhookEvent> find(UUID eventId) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM plaid_webhook_events WHERE id = :id")
			.param("id", eventId)
			.query(WebhookEvents::event)
			.optional();
	}

	/**
	 * For operators: processing over the last 24 hours by type and code, busiest first.
	 */
	public List<WebhookHealthRow> health() {
		return this.jdbc.sql(this.healthQuery)
			.query((row, number) -> new WebhookHealthRow(row.getString("webhook_type"), row.getString("webhook_code"),
					row.getLong("total_events"), row.getLong("successful"), row.getLong("failed"),
					row.getLong("in_progress"), row.getLong("ignored"), row.getLong("unknown_item"),
					row.getBigDecimal("avg_processing_time_ms"), row.getObject("last_received", OffsetDateTime.class)))
			.list();
	}

	private static int pageSize(int size) {
		if (size < 1 || size > 500) {
			throw new IllegalArgumentException("A page holds 1 to 500 events, not " + size);
		}
		return size;
	}

	private static int offset(int page, int size) {
		if (page < 0) {
			throw new IllegalArgumentException("Pages start at 0, not " + page);
		}
		return Math.multiplyExact(page, size);
	}

	private static WebhookEvent event(ResultSet row, int number) throws SQLException {
		return new WebhookEvent(row.getObject("id", UUID.class), row.getString("webhook_type"),
				row.getString("webhook_code"), row.getString("item_id"), row.getObject("user_id", UUID.class),
				row.getString("status"), row.getString("status_reason"), (Boolean) row.getObject("success"),
				row.getString("error_message"), (Long) row.getObject("job_execution_id"),
				row.getObject("created_at", OffsetDateTime.class), row.getObject("processed_at", OffsetDateTime.class),
				(Integer) row.getObject("processing_duration_ms"));
	}

	private static String read(String path) {
		try {
			return new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The monitoring query " + path + " is missing from the classpath", ex);
		}
	}

}
