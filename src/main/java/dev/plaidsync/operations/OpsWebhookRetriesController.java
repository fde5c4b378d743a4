package dev.plaidsync.operations;

import java.util.List;

import dev.plaidsync.common.Page;
import dev.plaidsync.webhooks.WebhookEvents;
import dev.plaidsync.webhooks.WebhookRetry;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Webhooks whose sync failed for a passing reason and wait to be dispatched again
 * (bounded exponential backoff).
 */
@RestController
class OpsWebhookRetriesController {

	private final WebhookEvents webhookEvents;

	OpsWebhookRetriesController(WebhookEvents webhookEvents) {
		this.webhookEvents = webhookEvents;
	}

	@GetMapping("/ops/webhooks/retrying")
	ResponseEntity<Retrying> retrying(@RequestParam(defaultValue = "0") int page,
			@RequestParam(required = false) Integer size, @RequestParam(required = false) Integer limit) {
		Page<WebhookRetry> events = this.webhookEvents.retrying(OpsLists.request(page, size, limit, 50));
		return OpsLists.withTotal(events, new Retrying(events.total(), events.items()));
	}

	/**
	 * @param count how many wait (counted up to {@link Page#COUNT_CAP}; also in
	 * {@code X-Total-Count})
	 * @param events one page of them, the soonest due first
	 */
	record Retrying(long count, List<WebhookRetry> events) {
	}

}
