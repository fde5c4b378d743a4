package dev.plaidsync.operations;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.plaidsync.webhooks.WebhookEvent;
import dev.plaidsync.webhooks.WebhookEvents;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The newest stored webhook events, for operators to find one to replay: one page, the
 * total in {@code X-Total-Count}.
 */
@RestController
class OpsWebhookEventsController {

	private static final Set<String> STATUSES = Set.of("RECEIVED", "LAUNCHED", "DONE", "FAILED", "IGNORED",
			"UNKNOWN_ITEM");

	private final WebhookEvents webhookEvents;

	OpsWebhookEventsController(WebhookEvents webhookEvents) {
		this.webhookEvents = webhookEvents;
	}

	@GetMapping("/ops/webhooks/events")
	ResponseEntity<List<WebhookEvent>> recent(@RequestParam(required = false) String status,
			@RequestParam(defaultValue = "0") int page, @RequestParam(required = false) Integer size) {
		String wanted = (status == null || status.isBlank()) ? null : status.trim().toUpperCase(Locale.ROOT);
		if (wanted != null && !STATUSES.contains(wanted)) {
			throw OpsException
				.badRequest("status must be one of " + STATUSES.stream().sorted().toList() + ", not " + status);
		}
		return OpsLists.answer(this.webhookEvents.recent(wanted, OpsLists.request(page, size, null, 50)));
	}

}
