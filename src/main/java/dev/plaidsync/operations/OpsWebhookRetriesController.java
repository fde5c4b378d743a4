package dev.plaidsync.operations;

import java.util.List;
import java.util.Map;

import dev.plaidsync.webhooks.WebhookEvents;
import dev.plaidsync.webhooks.WebhookRetry;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Webhooks whose sync failed for a passing reason and wait to be dispatched again (bounded exponential backoff). */
@RestController
class OpsWebhookRetriesController {

	private final WebhookEvents webhookEvents;

	OpsWebhookRetriesController(WebhookEvents webhookEvents) {
		this.webhookEvents = webhookEvents;
	}

	@GetMapping("/ops/webhooks/retrying")
	Map<String, Object> retrying(@RequestParam(defaultValue = "50") int limit) {
		List<WebhookRetry> events = this.webhookEvents.retrying(Math.max(1, Math.min(limit, 500)));
		return Map.of("count", this.webhookEvents.retryingCount(), "events", events);
	}

}
