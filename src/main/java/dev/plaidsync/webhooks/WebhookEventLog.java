package dev.plaidsync.webhooks;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The webhook event log's upkeep and totals for operators, so that no other module names
 * its table: the hourly counts the console charts, and the retention purge of events no
 * longer in flight. Thread-safe.
 */
@Component
public class WebhookEventLog {

	private final JdbcClient jdbc;

	WebhookEventLog(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Webhook events by the hour they were received, counted by their processing status
	 * now: the last 24 hours, one row per hour (oldest first, the current hour last,
	 * hours without any included with zeros).
	 */
	public List<WebhooksInHour> perHour() {
		return this.jdbc.sql("""
				WITH hours AS (
				    SELECT generate_series(date_trunc('hour', now()) - interval '23 hours', date_trunc('hour', now()),
				                           interval '1 hour') AS hour
				)
				SELECT h.hour,
				       count(e.id) FILTER (WHERE e.status = 'DONE')                  AS done,
				       count(e.id) FILTER (WHERE e.status = 'FAILED')                AS failed,
				       count(e.id) FILTER (WHERE e.status = 'IGNORED')               AS ignored,
				       count(e.id) FILTER (WHERE e.status = 'UNKNOWN_ITEM')          AS unknown_item,
				       count(e.id) FILTER (WHERE e.status IN ('RECEIVED', 'LAUNCHED')) AS in_progress
				FROM hours h
				LEFT JOIN (SELECT id, status, date_trunc('hour', created_at) AS hour FROM plaid_webhook_events
				           WHERE created_at >= date_trunc('hour', now()) - interval '23 hours') e ON e.hour = h.hour
				GROUP BY h.hour
				ORDER BY h.hour
				""").query(WebhooksInHour.class).list();
	}

	/**
	 * Deletes the events received longer than {@code retention} ago that are no longer in
	 * flight (not RECEIVED or LAUNCHED), oldest first, {@code batch} per statement, so
	 * that no transaction is long.
	 * @return how many were deleted
	 */
	public long purgeOlderThan(Duration retention, int batch) {
		long purged = 0;
		int deleted;
		do {
			deleted = this.jdbc
				.sql("""
						DELETE FROM plaid_webhook_events WHERE id IN (
						    SELECT id FROM plaid_webhook_events
						    WHERE created_at < now() - make_interval(secs => :retention) AND status NOT IN ('RECEIVED', 'LAUNCHED')
						    ORDER BY created_at LIMIT :batch)
						""")
				.param("retention", (double) retention.toSeconds())
				.param("batch", batch)
				.update();
			purged += deleted;
		}
		while (deleted == batch);
		return purged;
	}

	/** Events received in one hour, by their processing status now. */
	public record WebhooksInHour(OffsetDateTime hour, long done, long failed, long ignored, long unknownItem,
			long inProgress) {
	}

}
