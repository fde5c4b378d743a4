package dev.plaidsync.operations;

import java.util.List;

import dev.plaidsync.sync.JobExecutions;
import dev.plaidsync.sync.JobExecutions.ItemsSyncedInHour;
import dev.plaidsync.webhooks.WebhookEventLog;
import dev.plaidsync.webhooks.WebhookEventLog.WebhooksInHour;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's charts: the last 24 hours, one row per hour (oldest first, the current
 * hour last, hours without anything included with zeros), read through the owners' query
 * types. Read-only.
 */
@RestController
class OpsChartsController {

	private final WebhookEventLog webhookEvents;

	private final JobExecutions executions;

	OpsChartsController(WebhookEventLog webhookEvents, JobExecutions executions) {
		this.webhookEvents = webhookEvents;
		this.executions = executions;
	}

	/**
	 * Webhook events by the hour they were received, counted by their processing status
	 * now.
	 */
	@GetMapping("/ops/charts/webhooks-per-hour")
	List<WebhooksInHour> webhooksPerHour() {
		return this.webhookEvents.perHour();
	}

	/**
	 * Items each sync job stored, by the hour its step ended (or last committed a chunk,
	 * while it runs).
	 */
	@GetMapping("/ops/charts/items-synced-per-hour")
	List<ItemsSyncedInHour> itemsSyncedPerHour() {
		return this.executions.itemsSyncedPerHour();
	}

}
