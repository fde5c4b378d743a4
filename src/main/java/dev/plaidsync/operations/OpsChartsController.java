package dev.plaidsync.operations;

import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's charts: the last 24 hours, one row per hour (oldest first, the current hour last, hours without
 * anything included with zeros). Read-only.
 */
@RestController
class OpsChartsController {

	private static final String LAST_24_HOURS = """
			WITH hours AS (
			    SELECT generate_series(date_trunc('hour', now()) - interval '23 hours', date_trunc('hour', now()),
			                           interval '1 hour') AS hour
			)
			""";

	private final JdbcClient jdbc;

	OpsChartsController(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Webhook events by the hour they were received, counted by their processing status now. */
	@GetMapping("/ops/charts/webhooks-per-hour")
	List<WebhooksInHour> webhooksPerHour() {
		return this.jdbc.sql(LAST_24_HOURS + """
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
	 * Items each sync job stored: a step's committed write count minus the items that failed in its execution, in the
	 * hour the step ended (or last committed a chunk, while it runs). A step that spans hours counts in its last one.
	 * Each sync job has one step, named for it, so the steps of the last 24 hours are read from
	 * {@code idx_batch_step_execution_activity} alone, without joining every execution and instance.
	 */
	@GetMapping("/ops/charts/items-synced-per-hour")
	List<ItemsSyncedInHour> itemsSyncedPerHour() {
		return this.jdbc.sql(LAST_24_HOURS + """
				, steps AS (
				    SELECT s.step_name,
				           date_trunc('hour', CAST(coalesce(s.end_time, s.last_updated) AS timestamptz)) AS hour,
				           greatest(0, s.write_count - (SELECT count(*) FROM sync_item_failures f
				                                        WHERE f.job_execution_id = s.job_execution_id)) AS synced
				    FROM batch_step_execution s
				    WHERE coalesce(s.end_time, s.last_updated) >= CAST(date_trunc('hour', now()) - interval '23 hours' AS timestamp)
				      AND s.step_name IN ('holdingsSyncStep', 'transactionsSyncStep', 'balancesSyncStep')
				)
				SELECT h.hour,
				       coalesce(sum(s.synced) FILTER (WHERE s.step_name = 'holdingsSyncStep'), 0)     AS holdings,
				       coalesce(sum(s.synced) FILTER (WHERE s.step_name = 'transactionsSyncStep'), 0) AS transactions,
				       coalesce(sum(s.synced) FILTER (WHERE s.step_name = 'balancesSyncStep'), 0)     AS balances
				FROM hours h
				LEFT JOIN steps s ON s.hour = h.hour
				GROUP BY h.hour
				ORDER BY h.hour
				""").query(ItemsSyncedInHour.class).list();
	}

	record WebhooksInHour(OffsetDateTime hour, long done, long failed, long ignored, long unknownItem, long inProgress) {
	}

	record ItemsSyncedInHour(OffsetDateTime hour, long holdings, long transactions, long balances) {
	}

}
